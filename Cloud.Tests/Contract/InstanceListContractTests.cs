using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>
/// The instance list's paging in SQL (keyset after the marker's row) walks the same order as the unpaged list, on each
/// engine: ties broken by id, NULL values first ascending and last descending, a marker of another project refused.
/// </summary>
[TestFixture(typeof(SqliteHarness))]
[TestFixture(typeof(MySqlHarness), Category = "Integration")]
public sealed class InstanceListContractTests<THarness> where THarness : IDbHarness, new()
{
    private THarness _harness = default!;
    private ComputeTestCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _harness = Harness.New<THarness>();
        _cloud = await ComputeTestCloud.StartAsync(_harness.Db, serveScheduler: false);
        await _cloud.AddHostAsync("c1");
        await _cloud.AddHostAsync("c2");
        foreach (var name in new[] { "b", "a", "b", "c", "a", "b", "d" })
        {
            await _cloud.Compute.CreateAsync(_cloud.Alice, new CreateInstancesRequest("ami-image", "m1.tiny") { DisplayName = name }, default);
        }
        await _cloud.Compute.CreateAsync(_cloud.Bob, new CreateInstancesRequest("ami-image", "m1.tiny"), default);
        // Some instances on a host, the others without one (NULL), to page across NULL and equal values.
        var alices = await _cloud.Compute.ListAsync(_cloud.Alice, false, default);
        var ratios = new AllocationRatios(16, 1.5, 1);
        (await _cloud.Nodes.ClaimAsync([.. alices.Take(4).Select((i, n) => new Placement(i.Uuid, n % 2 == 0 ? "c1" : "c2", i.MemoryMb, i.Vcpus, i.RootGb))], ratios, default)).Should().BeTrue();
    }

    [OneTimeTearDown]
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

    private static InstanceSortKey[] Keys(params (string Key, bool Descending)[] keys) => [.. keys.Select(k => new InstanceSortKey(k.Key, k.Descending))];

    private static IEnumerable<TestCaseData> Orders()
    {
        yield return new TestCaseData((object)Keys()).SetName("by id");
        yield return new TestCaseData((object)Keys(("created_at", true), ("id", true))).SetName("newest first (nova's default)");
        yield return new TestCaseData((object)Keys(("display_name", false))).SetName("by name, ties by id");
        yield return new TestCaseData((object)Keys(("display_name", true), ("uuid", false))).SetName("by name descending then uuid");
        yield return new TestCaseData((object)Keys(("host", false))).SetName("by host, NULL first");
        yield return new TestCaseData((object)Keys(("host", true), ("display_name", false))).SetName("by host descending, NULL last");
        yield return new TestCaseData((object)Keys(("launched_at", true))).SetName("all NULL");
        yield return new TestCaseData((object)Keys(("no_such_column", false))).SetName("a key without a column is ignored");
    }

    [TestCaseSource(nameof(Orders))]
    public async Task Pages_after_each_marker_walk_the_unpaged_order(InstanceSortKey[] sort)
    {
        var query = new InstanceListQuery { Sort = sort };
        var unpaged = (await _cloud.Compute.ListAsync(_cloud.Alice, query, default)).Select(i => i.Uuid).ToList();

        var walked = new List<string>();
        string? marker = null;
        while (true)
        {
            var page = await _cloud.Compute.ListAsync(_cloud.Alice, query with { Marker = marker, Limit = 3 }, default);
            walked.AddRange(page.Select(i => i.Uuid));
            if (page.Count < 3)
            {
                break;
            }
            marker = page[^1].Uuid;
        }

        unpaged.Should().HaveCount(7);
        walked.Should().Equal(unpaged);
    }

    [Test]
    public async Task Filters_cut_the_list_in_the_database()
    {
        var onC1 = await _cloud.Compute.ListAsync(_cloud.Alice, new InstanceListQuery { Host = "c1" }, default);
        var unlocked = await _cloud.Compute.ListAsync(_cloud.Alice, new InstanceListQuery { Locked = false, ImageRef = "AMI-IMAGE" }, default);
        var noFlavor = await _cloud.Compute.ListAsync(_cloud.Alice, new InstanceListQuery { InstanceTypeIds = [] }, default);

        onC1.Should().HaveCount(2).And.OnlyContain(i => i.Host == "c1");
        unlocked.Should().HaveCount(7, "the image is matched case-insensitively");
        noFlavor.Should().BeEmpty();
    }

    [Test]
    public async Task A_listed_instance_reads_as_the_mapper_reads_it()
    {
        // The list reads its rows with the typed getters (InstanceRow); one row read by Dapper's mapper is the yardstick,
        // with the date, number, boolean and NULL columns both set (Bob's: launched, then failed) and unset.
        var bob = (await _cloud.Compute.ListAsync(_cloud.Bob, false, default))[0];
        await _cloud.Store.SetLaunchedAsync(bob.Uuid, PowerState.Running, default);
        await _cloud.Store.SetFaultAsync([bob.Uuid], "no valid host", default, code: 400);

        var listed = (await _cloud.Compute.ListAsync(_cloud.Bob, false, default))
            .Concat(await _cloud.Compute.ListAsync(_cloud.Alice, false, default)).ToList();

        listed.Should().HaveCount(8);
        foreach (var instance in listed)
        {
            instance.Should().BeEquivalentTo(await _cloud.Store.FindAsync(instance.Uuid, default));
        }
        listed[0].LaunchedAt.Should().NotBeNull();
        listed[0].FaultCode.Should().Be(400);
        listed[0].PowerState.Should().Be(PowerState.Running);
    }

    [Test]
    public async Task Another_project_s_instance_is_no_marker()
    {
        var bobs = await _cloud.Compute.ListAsync(_cloud.Bob, false, default);

        var listing = () => _cloud.Compute.ListAsync(_cloud.Alice, new InstanceListQuery { Marker = bobs[0].Uuid, Limit = 2 }, default);

        (await listing.Should().ThrowAsync<CloudException>()).WithMessage($"marker [{bobs[0].Uuid}] not found");
    }
}
