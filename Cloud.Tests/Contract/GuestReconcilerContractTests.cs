using Cloud.Modules.Compute;
using Cloud.Modules.Compute.Drivers.Fake;
using Cloud.Modules.Kernel;
using Cloud.Tests.Support;
using Dapper;
using FluentAssertions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>
/// A compute host's guests against its instances (<see cref="GuestReconciler"/>) over each database engine, on the fake
/// driver: guests of deleted, unknown and other hosts' instances get running_deleted_instance_action, a build whose
/// launch write was lost is adopted, a foreign domain and a guest of an instance being moved are left alone.
/// </summary>
[TestFixture(typeof(SqliteHarness))]
[TestFixture(typeof(MySqlHarness), Category = "Integration")]
public sealed class GuestReconcilerContractTests<THarness> where THarness : IDbHarness, new()
{
    private THarness _harness = default!;
    private ComputeTestCloud _cloud = null!;
    private FakeComputeDriver _driver = null!;
    private CapturingLogger<GuestReconciler> _log = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _harness = Harness.New<THarness>();
        _cloud = await ComputeTestCloud.StartAsync(_harness.Db);
        _driver = await _cloud.AddHostAsync("c1");
        _log = new CapturingLogger<GuestReconciler>();
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
    public async Task Guests_of_deleted_unknown_and_other_hosts_instances_are_reaped_and_the_live_one_kept()
    {
        var (live, deleted, elsewhere) = (await ActiveAsync(), await ActiveAsync(), await ActiveAsync());
        await _cloud.Store.MarkDeletedAsync(deleted, default);
        await SetHostAsync(elsewhere, "c2", taskState: null);
        var unknown = await GuestAsync(Instance.NameOf(0xdead));

        await Reconciler().ReconcileAsync(default);

        (await _driver.ListInstancesAsync(default)).Should().Equal(live.Name);
        _log.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).Should().BeEquivalentTo(
            $"guest {deleted.Name} belonged to deleted instance {deleted.Uuid}, not to a live instance of this host: destroyed",
            $"guest {elsewhere.Name} belonged to instance {elsewhere.Uuid}, which is on host c2, not to a live instance of this host: destroyed",
            $"guest {unknown} belonged to no instance, not to a live instance of this host: destroyed");
        (await _cloud.Store.FindAsync(live.Uuid, default))!.VmState.Should().Be(VmStates.Active);
    }

    [Test]
    public async Task A_deleted_instances_guest_is_reaped_only_once_the_timeout_has_passed()
    {
        var deleted = await ActiveAsync();
        await _cloud.Store.MarkDeletedAsync(deleted, default);
        var reconciler = Reconciler(timeout: 300);

        await reconciler.ReconcileAsync(default);
        (await _driver.ListInstancesAsync(default)).Should().Equal(deleted.Name);

        _cloud.Clock.Advance(TimeSpan.FromSeconds(300));
        await reconciler.ReconcileAsync(default);
        (await _driver.ListInstancesAsync(default)).Should().BeEmpty();
    }

    [TestCase(GuestReconciler.Noop, PowerState.Running, 0)]
    [TestCase(GuestReconciler.Log, PowerState.Running, 1)]
    [TestCase(GuestReconciler.Shutdown, PowerState.Shutdown, 1)]
    public async Task The_other_actions_keep_the_orphan_guest(string action, PowerState power, int warnings)
    {
        var deleted = await ActiveAsync();
        await _cloud.Store.MarkDeletedAsync(deleted, default);

        await Reconciler(action).ReconcileAsync(default);

        (await _driver.GetInfoAsync(deleted.Name, default))!.State.Should().Be(power);
        _log.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.StartsWith($"guest {deleted.Name} ", StringComparison.Ordinal)).Should().Be(warnings);
    }

    [Test]
    public async Task A_build_whose_guest_runs_but_whose_launch_was_never_recorded_is_adopted_once_it_has_stalled()
    {
        var instance = await ActiveAsync();
        await _cloud.Store.SetStatesAsync(instance.Uuid, VmStates.Building, TaskStates.Spawning, PowerState.NoState, default);
        var reconciler = Reconciler();

        await _cloud.Hosts["c1"].Manager.RunPeriodicTasksAsync(default);
        var synced = await _cloud.Store.FindAsync(instance.Uuid, default);
        (synced!.VmState, synced.PowerState).Should().Be((VmStates.Building, PowerState.Running), "the power sync records a building instance's guest, and only that");
        await reconciler.ReconcileAsync(default);
        (await _cloud.Store.FindAsync(instance.Uuid, default))!.VmState.Should().Be(VmStates.Building, "the spawn may still be about to record it");

        _cloud.Clock.Advance(GuestReconciler.StalledBuildAge);
        await reconciler.ReconcileAsync(default);

        var adopted = await _cloud.Store.FindAsync(instance.Uuid, default);
        (adopted!.VmState, adopted.TaskState, adopted.PowerState).Should().Be((VmStates.Active, null, PowerState.Running));
        adopted.LaunchedAt.Should().NotBeNull();
    }

    [Test]
    public async Task A_domain_that_is_not_clouddS_and_the_guest_of_an_instance_being_moved_are_left_alone()
    {
        var foreign = await GuestAsync("my-own-vm");
        var moving = await ActiveAsync();
        await SetHostAsync(moving, "c2", TaskStates.ResizeFinish);
        var reconciler = Reconciler();

        await reconciler.ReconcileAsync(default);
        await reconciler.ReconcileAsync(default);

        (await _driver.ListInstancesAsync(default)).Should().BeEquivalentTo([foreign, moving.Name]);
        _log.Count(LogLevel.Information, "guest my-own-vm is not an instance-%08x domain, so not cloudd's: left alone").Should().Be(1, "it is logged once");
        _log.Entries.Should().NotContain(e => e.Level >= LogLevel.Warning);
    }

    [Test]
    public async Task At_start_an_active_instance_whose_guest_vanished_is_stopped_not_deleted()
    {
        var instance = await ActiveAsync();
        await _driver.DestroyAsync(instance.Name, default);

        await Reconciler().StartAsync(default);

        var synced = await _cloud.Store.FindAsync(instance.Uuid, default);
        (synced!.Deleted, synced.VmState, synced.PowerState).Should().Be((false, VmStates.Stopped, PowerState.NoState));
    }

    [Test]
    public async Task The_periodic_tasks_reconcile_every_poll_interval_and_never_with_interval_0()
    {
        var reconciler = Reconciler();
        var manager = new ComputeManager(_driver, _cloud.Store, _cloud.Nodes, Options.Create(new CommonFlags { Host = "c1" }),
            NullLogger<ComputeManager>.Instance, guests: reconciler);
        await GuestAsync(Instance.NameOf(0xdead));
        await manager.RunPeriodicTasksAsync(default);
        (await _driver.ListInstancesAsync(default)).Should().BeEmpty("the first pass is due at once");

        var orphan = await GuestAsync(Instance.NameOf(0xbeef));
        _cloud.Clock.Advance(TimeSpan.FromSeconds(59));
        await manager.RunPeriodicTasksAsync(default);
        (await _driver.ListInstancesAsync(default)).Should().Equal(orphan);
        _cloud.Clock.Advance(TimeSpan.FromSeconds(1));
        await manager.RunPeriodicTasksAsync(default);
        (await _driver.ListInstancesAsync(default)).Should().BeEmpty();

        await GuestAsync(orphan);
        var off = Reconciler(interval: 0);
        await off.StartAsync(default);
        await off.RunIfDueAsync(default);
        (await _driver.ListInstancesAsync(default)).Should().Equal(orphan);
    }

    private GuestReconciler Reconciler(string action = GuestReconciler.Reap, int timeout = 0, int interval = 60) => new(
        _driver, _cloud.Store,
        Options.Create(new ComputeFlags { RunningDeletedInstanceAction = action, RunningDeletedInstanceTimeout = timeout, RunningDeletedInstancePollInterval = interval }),
        Options.Create(new CommonFlags { Host = "c1" }), _cloud.Clock, _log);

    /// <summary>A new instance, active on c1 with its guest running.</summary>
    private async Task<Instance> ActiveAsync() =>
        (await _cloud.SettledAsync(_cloud.Alice, await _cloud.Compute.CreateAsync(_cloud.Alice, new CreateInstancesRequest("ami-image", "m1.tiny", 1, 1), default)))[0];

    /// <summary>A running guest on c1 that no instance of this cloud spawned.</summary>
    private async Task<string> GuestAsync(string name)
    {
        await _driver.SpawnAsync(TinyVm.Spec() with { Name = name }, default);
        return name;
    }

    private async Task SetHostAsync(Instance instance, string host, string? taskState)
    {
        await using var c = await _harness.Db.OpenAsync(default);
        await c.ExecuteAsync("UPDATE instances SET host = @Host, task_state = @TaskState WHERE uuid = @Uuid", new { Host = host, TaskState = taskState, instance.Uuid });
    }
}
