using Cloud.Modules.Compute;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>
/// A create writes its instances and their facts (metadata, security groups, create action) as multi-row INSERTs in
/// one command: every row lands, also past the rows one statement takes (SQLite's 999 variables), on each engine.
/// </summary>
[TestFixture(typeof(SqliteHarness))]
[TestFixture(typeof(MySqlHarness), Category = "Integration")]
public sealed class InstanceCreateRowsContractTests<THarness> where THarness : IDbHarness, new()
{
    private THarness _harness = default!;
    private ComputeTestCloud _cloud = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _harness = Harness.New<THarness>();
        _cloud = await ComputeTestCloud.StartAsync(_harness.Db, serveScheduler: false);
        foreach (var resource in new[] { "instances", "cores", "ram" })
        {
            await _cloud.Identity.SetQuotaAsync("alpha", resource, -1, default);
        }
        await _cloud.Flavors.CreateAsync(_cloud.Admin, "m1.rows", 64, 1, 0, null, default);
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    [Test]
    public async Task Eighty_instances_of_one_request_get_every_row_in_launch_order()
    {
        // 80 instances of 24 columns are 1,920 variables: three statements of instances, two of metadata.
        var request = new CreateInstancesRequest("ami-image", "m1.rows", 80, 80)
        {
            DisplayName = "rows",
            Metadata = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" },
        };

        var created = await _cloud.Compute.CreateAsync(_cloud.Alice, request, default);

        created.Select(i => i.LaunchIndex).Should().Equal(Enumerable.Range(0, 80).Select(n => (long)n));
        created.Select(i => i.DisplayName).Should().Equal(Enumerable.Range(1, 80).Select(n => $"rows-{n}"));
        created.Should().OnlyContain(i => i.VmState == VmStates.Building && i.TaskState == TaskStates.Scheduling && !i.Deleted);
        foreach (var instance in new[] { created[0], created[40], created[79] })
        {
            (await _cloud.Compute.GetMetadataAsync(_cloud.Alice, instance.Uuid, default)).Should().Equal(request.Metadata);
            (await _cloud.Compute.GetSecurityGroupNamesAsync(_cloud.Alice, instance.Uuid, default)).Should().Equal("default");
            (await _cloud.Actions.ListAsync(instance.Uuid, null, null, default)).Should().ContainSingle(a => a.Action == "create");
        }
    }
}
