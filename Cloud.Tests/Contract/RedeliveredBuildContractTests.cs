using Cloud.Modules.Compute;
using Cloud.Modules.Compute.Drivers.Fake;
using Cloud.Modules.Kernel.Db;
using Cloud.Modules.Scheduler;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>
/// Messages arrive at least once: schedule_run_instance, run_instance and terminate_instance delivered again (one
/// after the other, or together) place, claim, spawn and free an instance once, on each engine. Two hosts on the
/// fake driver: c2 has more free RAM, so a placement made afresh would choose it over c1. On SQLite only: the
/// conditional transitions they rely on run on both engines in <see cref="BuildTransitionContractTests{THarness}"/>.
/// </summary>
[TestFixture(typeof(SqliteHarness))]
public sealed class RedeliveredBuildContractTests<THarness> where THarness : IDbHarness, new()
{
    private const long MemoryMb = 256;

    private THarness _harness = default!;
    private ComputeTestCloud _cloud = null!;
    private readonly Dictionary<string, (ComputeManager Manager, RecordingComputeDriver Driver)> _hosts = [];

    [SetUp]
    public async Task StartAsync()
    {
        _harness = Harness.New<THarness>();
        _cloud = await ComputeTestCloud.StartAsync(_harness.Db, serveScheduler: false);
        await AddHostAsync("c1", memoryMb: 8192);
        await AddHostAsync("c2", memoryMb: 16384);
        await _cloud.Flavors.CreateAsync(_cloud.Admin, "m1.quarter", MemoryMb, 1, 0, null, default);
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
        _hosts.Clear();
    }

    [Test]
    public async Task A_schedule_delivered_again_after_the_claim_sends_run_instance_to_the_claimed_host_only()
    {
        var uuid = (await CreateAsync(1)).Single();
        await ClaimAsync(uuid, "c1"); // the scheduler died after its claim, before its cast

        var sent = await _cloud.NewScheduler().ScheduleRunInstanceAsync(_cloud.Alice, RequestFor(uuid), default);

        sent.Select(p => (p.Uuid, p.Host)).Should().Equal((uuid, "c1"));
        await SettledActiveAsync(uuid);
        await ShouldHoldAsync(("c1", 1), ("c2", 0));
    }

    [Test]
    public async Task A_schedule_delivered_again_after_the_build_sends_nothing()
    {
        var uuid = (await CreateAsync(1)).Single();
        var scheduler = _cloud.NewScheduler();
        (await scheduler.ScheduleRunInstanceAsync(_cloud.Alice, RequestFor(uuid), default)).Should().ContainSingle();
        var host = (await SettledActiveAsync(uuid)).Host!;

        var sent = await scheduler.ScheduleRunInstanceAsync(_cloud.Alice, RequestFor(uuid), default);

        sent.Should().BeEmpty();
        (await _cloud.Store.FindAsync(uuid, default))!.VmState.Should().Be(VmStates.Active);
        SpawnsOn(host).Should().Be(1);
        await ShouldHoldAsync((host, 1), (Other(host), 0));
    }

    [Test]
    public async Task A_schedule_delivered_twice_at_once_claims_and_spawns_once()
    {
        var uuid = (await CreateAsync(1)).Single();
        var schedulers = new[] { _cloud.NewScheduler(), _cloud.NewScheduler() };

        await Task.WhenAll(schedulers.Select(s => Task.Run(() => s.ScheduleRunInstanceAsync(_cloud.Alice, RequestFor(uuid), default))));

        var host = (await SettledActiveAsync(uuid)).Host!;
        SpawnsOn(host).Should().Be(1);
        SpawnsOn(Other(host)).Should().Be(0);
        await ShouldHoldAsync((host, 1), (Other(host), 0));
    }

    [Test]
    public async Task A_request_placed_in_part_places_only_the_rest_and_starts_each_instance_once()
    {
        var uuids = await CreateAsync(2);
        await ClaimAsync(uuids[0], "c1");

        var sent = await _cloud.NewScheduler().ScheduleRunInstanceAsync(_cloud.Alice, RequestFor([.. uuids]), default);

        sent.Select(p => p.Uuid).Should().BeEquivalentTo(uuids);
        sent.Single(p => p.Uuid == uuids[0]).Host.Should().Be("c1");
        var instances = await _cloud.SettledAsync(_cloud.Alice, await _cloud.Store.ByUuidsAsync(uuids, default));
        instances.Should().OnlyContain(i => i.VmState == VmStates.Active);
        await ShouldHoldAsync(("c1", instances.Count(i => i.Host == "c1")), ("c2", instances.Count(i => i.Host == "c2")));
        (SpawnsOn("c1") + SpawnsOn("c2")).Should().Be(2);
    }

    [Test]
    public async Task A_run_instance_delivered_again_while_building_and_after_spawns_once()
    {
        var uuid = (await CreateAsync(1)).Single();
        await ClaimAsync(uuid, "c1");
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hosts["c1"].Driver.HoldSpawns = held;
        var first = Task.Run(() => DeliverAsync("c1", new RunInstance(uuid)));
        await Poller.UntilAsync(() => Task.FromResult(SpawnsOn("c1") == 1), TimeSpan.FromSeconds(30), "the first delivery to reach its spawn");

        await DeliverAsync("c1", new RunInstance(uuid)).WaitAsync(TimeSpan.FromSeconds(30)); // while the first is spawning: dropped, not waiting for it
        held.SetResult();
        await first;
        await DeliverAsync("c1", new RunInstance(uuid)); // after it finished

        (await _cloud.Store.FindAsync(uuid, default))!.VmState.Should().Be(VmStates.Active);
        SpawnsOn("c1").Should().Be(1);
        await ShouldHoldAsync(("c1", 1), ("c2", 0));
    }

    [Test]
    public async Task A_run_instance_for_an_instance_being_deleted_or_deleted_or_of_another_host_starts_nothing()
    {
        var uuids = await CreateAsync(3);
        foreach (var uuid in uuids)
        {
            await ClaimAsync(uuid, "c1");
        }
        await _cloud.Store.SetTaskStateAsync(uuids[0], TaskStates.Deleting, default);
        await _cloud.Store.MarkDeletedAsync((await _cloud.Store.FindAsync(uuids[1], default))!, default);

        foreach (var uuid in uuids)
        {
            await DeliverAsync("c1", new RunInstance(uuid));
        }
        await DeliverAsync("c2", new RunInstance(uuids[2]));

        SpawnsOn("c1").Should().Be(1, "only the third instance is c1's to build");
        SpawnsOn("c2").Should().Be(0);
        (await _cloud.Store.FindAsync(uuids[0], default))!.TaskState.Should().Be(TaskStates.Deleting);
    }

    [Test]
    public async Task A_run_instance_after_a_transient_failure_resumes_the_build()
    {
        var uuid = (await CreateAsync(1)).Single();
        await ClaimAsync(uuid, "c1");
        _hosts["c1"].Driver.FailNextSpawn = new DatabaseUnavailableException("cannot connect to the database");

        var first = () => DeliverAsync("c1", new RunInstance(uuid));

        // Thrown for the bus to deliver again, not recorded as the instance's fault.
        await first.Should().ThrowAsync<DatabaseUnavailableException>();
        (await _cloud.Store.FindAsync(uuid, default))!.VmState.Should().Be(VmStates.Building);
        await DeliverAsync("c1", new RunInstance(uuid));
        (await _cloud.Store.FindAsync(uuid, default))!.VmState.Should().Be(VmStates.Active);
        (await GuestsAsync("c1")).Should().Be(1);
    }

    [Test]
    public async Task A_run_instance_after_a_spawn_whose_end_was_not_recorded_finishes_without_spawning_again()
    {
        var uuid = (await CreateAsync(1)).Single();
        await ClaimAsync(uuid, "c1");
        await _cloud.Store.SetTaskStateAsync(uuid, TaskStates.Spawning, default);
        var instance = (await _cloud.Store.FindAsync(uuid, default))!;
        await _hosts["c1"].Driver.SpawnAsync(InstanceSpecs.Of(instance, null, false), default); // spawned, then the process died

        await DeliverAsync("c1", new RunInstance(uuid));

        (await _cloud.Store.FindAsync(uuid, default))!.VmState.Should().Be(VmStates.Active);
        SpawnsOn("c1").Should().Be(1);
        (await GuestsAsync("c1")).Should().Be(1);
    }

    [Test]
    public async Task A_terminate_delivered_twice_at_once_and_again_later_frees_the_claim_once()
    {
        var uuid = (await CreateAsync(1)).Single();
        await ClaimAsync(uuid, "c1");
        await DeliverAsync("c1", new RunInstance(uuid));
        await _cloud.Store.SetTaskStateAsync(uuid, TaskStates.Deleting, default);

        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => DeliverAsync("c1", new TerminateInstance(uuid)))));
        await DeliverAsync("c1", new TerminateInstance(uuid));

        var deleted = (await _cloud.Store.FindAsync(uuid, default))!;
        deleted.Deleted.Should().BeTrue();
        deleted.VmState.Should().Be(VmStates.Deleted);
        (await GuestsAsync("c1")).Should().Be(0);
        await ShouldHoldAsync(("c1", 0), ("c2", 0));
    }

    [Test]
    public async Task A_terminate_of_an_instance_whose_guest_is_already_gone_deletes_it()
    {
        var uuid = (await CreateAsync(1)).Single();
        await ClaimAsync(uuid, "c1");
        await DeliverAsync("c1", new RunInstance(uuid));
        await _hosts["c1"].Driver.DestroyAsync((await _cloud.Store.FindAsync(uuid, default))!.Name, default);
        await _cloud.Store.SetTaskStateAsync(uuid, TaskStates.Deleting, default);

        await DeliverAsync("c1", new TerminateInstance(uuid));

        (await _cloud.Store.FindAsync(uuid, default))!.VmState.Should().Be(VmStates.Deleted);
        await ShouldHoldAsync(("c1", 0), ("c2", 0));
    }

    private async Task AddHostAsync(string host, long memoryMb)
    {
        var driver = new RecordingComputeDriver(new FakeComputeDriver(new FakeDriverFlags { MemoryMb = memoryMb, Vcpus = 16, LocalGb = 500 }));
        _hosts[host] = (await _cloud.AddHostAsync(host, driver), driver);
    }

    private async Task<IReadOnlyList<string>> CreateAsync(int count) =>
        [.. (await _cloud.Compute.CreateAsync(_cloud.Alice, new CreateInstancesRequest("ami-image", "m1.quarter", count, count), default)).Select(i => i.Uuid)];

    private static ScheduleRunInstance RequestFor(params string[] uuids) => new(uuids, MemoryMb, 1, 0, null, null);

    /// <summary>What a scheduler's claim does: the instance on <paramref name="host"/> with its resources claimed there.</summary>
    private async Task ClaimAsync(string uuid, string host) =>
        (await _cloud.Nodes.ClaimAsync([new Placement(uuid, host, MemoryMb, 1, 0)], _cloud.SchedulerFlags.Value.Ratios, default)).Should().BeTrue();

    private Task DeliverAsync(string host, Cloud.Modules.Kernel.Bus.IRpcMessage message) =>
        _hosts[host].Manager.DispatchAsync(_cloud.Alice, message, default);

    private async Task<Instance> SettledActiveAsync(string uuid)
    {
        var instance = (await _cloud.SettledAsync(_cloud.Alice, [(await _cloud.Store.FindAsync(uuid, default))!])).Single();
        instance.VmState.Should().Be(VmStates.Active, instance.FaultMessage);
        return instance;
    }

    private int SpawnsOn(string host)
    {
        var spawned = _hosts[host].Driver.Spawned;
        lock (spawned)
        {
            return spawned.Count;
        }
    }

    private async Task<int> GuestsAsync(string host) => (await _hosts[host].Driver.ListInstancesAsync(default)).Count;

    private static string Other(string host) => host == "c1" ? "c2" : "c1";

    /// <summary>Each host holds that many instances: in its claims (RAM used) and on its hypervisor.</summary>
    private async Task ShouldHoldAsync(params (string Host, int Instances)[] expected)
    {
        var nodes = (await _cloud.Nodes.ListAsync(default)).ToDictionary(n => n.Host);
        foreach (var (host, instances) in expected)
        {
            nodes[host].MemoryMbUsed.Should().Be(instances * MemoryMb, $"claims on {host}");
            (await GuestsAsync(host)).Should().Be(instances, $"guests on {host}");
        }
    }
}
