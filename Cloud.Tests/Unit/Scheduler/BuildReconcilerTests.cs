using Cloud.Modules.Compute;
using Cloud.Modules.Kernel.Service;
using Cloud.Modules.Scheduler;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Scheduler;

/// <summary>
/// The scheduler's reconciler with a scheduler and fake compute hosts on one bus (SQLite, <see cref="ManualClock"/>):
/// builds on a host that died are placed again or failed, a lost schedule cast is sent again, a lost terminate is
/// sent again. Its transitions on both engines are in Contract/BuildReconcilerContractTests.
/// </summary>
public sealed class BuildReconcilerTests
{
    private SqliteHarness _db = null!;
    private StuckBuildsCloud _cloud = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _db = new SqliteHarness();
        _cloud = await StuckBuildsCloud.StartAsync(_db);
        await _cloud.Cloud.AddHostAsync("c1");
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _cloud.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Test]
    public async Task A_build_on_a_host_that_died_before_starting_it_is_placed_on_another_host()
    {
        await _cloud.Cloud.AddHostAsync("c2");
        var uuid = (await _cloud.NewBuildsAsync(1))[0];
        await _cloud.ClaimAsync(uuid, "c1");

        await _cloud.AdvanceAsync(TimeSpan.FromSeconds(61), "c2");
        await _cloud.Cloud.NewReconciler().ReconcileAsync(default);

        (await _cloud.SettledAsync(uuid)).Should().BeEquivalentTo(new { VmState = VmStates.Active, Host = "c2" });
        (await _cloud.UsedMemoryAsync("c1")).Should().Be(0);
        (await _cloud.UsedMemoryAsync("c2")).Should().Be(StuckBuildsCloud.MemoryMb);
    }

    [Test]
    public async Task On_a_dead_host_a_build_not_started_finds_no_other_host_and_a_spawning_one_fails_keeping_its_host()
    {
        var uuids = await _cloud.NewBuildsAsync(2);
        await _cloud.ClaimAsync(uuids[0], "c1");
        await _cloud.ClaimAsync(uuids[1], "c1");
        await _cloud.Cloud.Store.SetTaskStateAsync(uuids[1], TaskStates.Spawning, default);

        // With no heartbeat at all getting through, c1 counts as down only after ServiceGroup.OutageGrace down times.
        await _cloud.AdvanceAsync(TimeSpan.FromSeconds(60 * ServiceGroup.OutageGrace + 1));
        await _cloud.Cloud.NewReconciler().ReconcileAsync(default);

        (await _cloud.SettledAsync(uuids[0])).Should().BeEquivalentTo(new { VmState = VmStates.Error, Host = (string?)null, FaultMessage = SchedulerManager.NoValidHost });
        var spawning = await _cloud.FindAsync(uuids[1]);
        spawning.Should().BeEquivalentTo(new { VmState = VmStates.Error, Host = "c1" }, "its guest may exist on c1: deleting it reaches c1 and frees the claim");
        spawning.FaultMessage.Should().StartWith("Compute host c1 stopped reporting");
        (await _cloud.UsedMemoryAsync("c1")).Should().Be(StuckBuildsCloud.MemoryMb);
    }

    [Test]
    public async Task A_build_whose_schedule_cast_was_lost_is_scheduled_again_after_instance_scheduling_timeout()
    {
        var uuid = (await _cloud.NewBuildsAsync(1))[0];
        var reconciler = _cloud.Cloud.NewReconciler();

        await _cloud.AdvanceAsync(TimeSpan.FromSeconds(60), "c1");
        await reconciler.ReconcileAsync(default);
        (await _cloud.FindAsync(uuid)).TaskState.Should().Be(TaskStates.Scheduling, "instance_scheduling_timeout (120 s) has not passed");

        await _cloud.AdvanceAsync(TimeSpan.FromSeconds(61), "c1");
        await reconciler.ReconcileAsync(default);

        (await _cloud.SettledAsync(uuid)).Should().BeEquivalentTo(new { VmState = VmStates.Active, Host = "c1" });
        (await _cloud.UsedMemoryAsync("c1")).Should().Be(StuckBuildsCloud.MemoryMb);
    }

    [Test]
    public async Task A_delete_whose_terminate_was_lost_is_sent_again_to_its_live_host()
    {
        var uuid = await _cloud.ActiveOnAsync("c1");
        await _cloud.Cloud.Store.SetTaskStateAsync(uuid, TaskStates.Deleting, default);

        await _cloud.AdvanceAsync(TimeSpan.FromSeconds(601), "c1");
        await _cloud.Cloud.NewReconciler().ReconcileAsync(default);

        await Poller.UntilAsync(async () => (await _cloud.FindAsync(uuid)).Deleted, TimeSpan.FromSeconds(30), "c1 to terminate the instance");
        (await _cloud.UsedMemoryAsync("c1")).Should().Be(0);
    }

    [Test]
    public void Negative_timeouts_are_refused_naming_the_flag()
    {
        FluentActions.Invoking(() => new SchedulerFlags { InstanceBuildTimeout = -1 }.Validate()).Should().Throw<Exception>().WithMessage("*instance_build_timeout*");
        FluentActions.Invoking(() => new SchedulerFlags { InstanceSchedulingTimeout = -5 }.Validate()).Should().Throw<Exception>().WithMessage("*instance_scheduling_timeout*");
    }
}
