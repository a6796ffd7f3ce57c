using Cloud.Modules.Compute;
using Cloud.Modules.Scheduler;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>Placements claimed in the database never overcommit a host, however many schedulers race, on each engine.</summary>
[TestFixture(typeof(SqliteHarness))]
[TestFixture(typeof(MySqlHarness), Category = "Integration")]
public sealed class SchedulerClaimContractTests<THarness> where THarness : IDbHarness, new()
{
    private THarness _harness = default!;
    private ComputeTestCloud _cloud = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _harness = Harness.New<THarness>();
        _cloud = await ComputeTestCloud.StartAsync(_harness.Db, serveScheduler: false);
        await _cloud.AddHostAsync("c1", memoryMb: 16384);
        await _cloud.AddHostAsync("c2", memoryMb: 4096);
        await _cloud.AddHostAsync("c3", memoryMb: 2048);
        foreach (var resource in new[] { "instances", "cores", "ram" })
        {
            await _cloud.Identity.SetQuotaAsync("alpha", resource, -1, default);
        }
        await _cloud.Flavors.CreateAsync(_cloud.Admin, "m1.quarter", 256, 1, 0, null, default);
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
    public async Task Two_hundred_concurrent_requests_on_two_schedulers_never_overcommit_a_host()
    {
        var requests = new List<ScheduleRunInstance>();
        for (var i = 0; i < 200; i++)
        {
            var created = await _cloud.Compute.CreateAsync(_cloud.Alice, new CreateInstancesRequest("ami-image", "m1.quarter"), default);
            requests.Add(new ScheduleRunInstance([created[0].Uuid], 256, 1, 0, null, null));
        }
        var schedulers = new[] { _cloud.NewScheduler(), _cloud.NewScheduler() };

        // 22528 MiB of hosts at ram_allocation_ratio 1.5 hold 132 instances of 256 MiB; the other 68 must be refused.
        var placed = await Task.WhenAll(requests.Select((r, i) => Task.Run(() => schedulers[i % 2].ScheduleRunInstanceAsync(_cloud.Alice, r, default))));

        placed.Sum(p => p.Count).Should().Be(132);
        var instances = await _cloud.Compute.ListAsync(_cloud.Alice, false, default);
        foreach (var node in await _cloud.Nodes.ListAsync(default))
        {
            node.MemoryMbUsed.Should().Be(instances.Where(i => i.Host == node.Host).Sum(i => i.MemoryMb), node.Host);
            node.MemoryMbUsed.Should().BeLessThanOrEqualTo((long)(node.MemoryMb * 1.5), node.Host);
        }
        instances.Count(i => i.Host is null).Should().Be(68);
        instances.Where(i => i.Host is null).Should().OnlyContain(i => i.VmState == VmStates.Error && i.FaultMessage!.StartsWith("No valid host was found", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_request_for_several_instances_is_placed_whole_or_not_at_all()
    {
        await _cloud.Flavors.CreateAsync(_cloud.Admin, "m1.big", 12000, 1, 0, null, default);
        var created = await _cloud.Compute.CreateAsync(_cloud.Alice, new CreateInstancesRequest("ami-image", "m1.big", 3, 3), default);
        var scheduler = _cloud.NewScheduler();

        // Two fit on c1 (24576 MiB at 1.5) but the third fits nowhere: none is placed.
        var placed = await scheduler.ScheduleRunInstanceAsync(_cloud.Alice, new ScheduleRunInstance([.. created.Select(i => i.Uuid)], 12000, 1, 0, null, null), default);

        placed.Should().BeEmpty();
        (await _cloud.Nodes.ListAsync(default)).Should().OnlyContain(n => n.MemoryMbUsed == 0);
        (await _cloud.Compute.ListAsync(_cloud.Alice, false, default)).Should().OnlyContain(i => i.VmState == VmStates.Error);
    }

    [Test]
    public async Task A_batch_claims_each_host_once_for_all_its_placements_and_skips_instances_placed_already()
    {
        var created = await _cloud.Compute.CreateAsync(_cloud.Alice, new CreateInstancesRequest("ami-image", "m1.quarter", 13, 13), default);
        var ratios = _cloud.SchedulerFlags.Value.Ratios;
        (await _cloud.Nodes.ClaimAsync([new Placement(created[0].Uuid, "c1", 256, 1, 0)], ratios, default)).Should().BeTrue();

        // c3 holds 12 of 256 MiB (2048 MiB at 1.5): the first instance is c1's already, the other 12 fill c3 exactly.
        var onC3 = created.Select(i => new Placement(i.Uuid, "c3", 256, 1, 0)).ToList();
        var claimed = await _cloud.Nodes.ClaimPlacementsAsync(onC3, ratios, default);

        claimed.Should().BeEquivalentTo(onC3.Skip(1));
        var nodes = (await _cloud.Nodes.ListAsync(default)).ToDictionary(n => n.Host);
        nodes["c1"].MemoryMbUsed.Should().Be(256);
        nodes["c3"].MemoryMbUsed.Should().Be(3072);
    }

    [Test]
    public async Task A_batch_whose_placements_overflow_a_host_together_claims_nothing()
    {
        var created = await _cloud.Compute.CreateAsync(_cloud.Alice, new CreateInstancesRequest("ami-image", "m1.quarter", 13, 13), default);

        // Each fits c3 alone; the 13 together (3328 MiB) do not fit its 3072.
        var claimed = await _cloud.Nodes.ClaimPlacementsAsync([.. created.Select(i => new Placement(i.Uuid, "c3", 256, 1, 0))], _cloud.SchedulerFlags.Value.Ratios, default);

        claimed.Should().BeNull();
        (await _cloud.Nodes.ListAsync(default)).Should().OnlyContain(n => n.MemoryMbUsed == 0);
        (await _cloud.Compute.ListAsync(_cloud.Alice, false, default)).Should().OnlyContain(i => i.Host == null);
    }
}
