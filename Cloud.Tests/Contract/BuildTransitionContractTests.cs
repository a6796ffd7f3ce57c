using Cloud.Modules.Compute;
using Cloud.Modules.Scheduler;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>
/// The conditional build transitions that make redelivered schedule_run_instance and run_instance safe, on each
/// engine: no-valid-host spares a placed instance, run_instance claims only its own host's building instance (and
/// resumes a step left half-done), each step moves only from the one before.
/// </summary>
[TestFixture(typeof(SqliteHarness))]
[TestFixture(typeof(MySqlHarness), Category = "Integration")]
public sealed class BuildTransitionContractTests<THarness> where THarness : IDbHarness, new()
{
    private THarness _harness = default!;
    private ComputeTestCloud _cloud = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _harness = Harness.New<THarness>();
        _cloud = await ComputeTestCloud.StartAsync(_harness.Db, serveScheduler: false);
        await _cloud.AddHostAsync("c1");
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
    public async Task Each_build_transition_happens_only_from_the_state_before_it()
    {
        var uuids = (await _cloud.Compute.CreateAsync(_cloud.Alice, new CreateInstancesRequest("ami-image", "m1.quarter", 2, 2), default)).Select(i => i.Uuid).ToList();
        (await _cloud.Nodes.ClaimAsync([new Placement(uuids[0], "c1", 256, 1, 0)], _cloud.SchedulerFlags.Value.Ratios, default)).Should().BeTrue();
        var store = _cloud.Store;

        await _cloud.Nodes.FailAsync(uuids, SchedulerManager.NoValidHost, default);
        (await store.FindAsync(uuids[0], default))!.VmState.Should().Be(VmStates.Building, "a placed instance keeps its placement");
        (await store.FindAsync(uuids[1], default))!.VmState.Should().Be(VmStates.Error);

        (await store.BeginBuildAsync(uuids[1], "c1", default)).Should().BeFalse("a failed instance is not built");
        (await store.BeginBuildAsync(uuids[0], "c2", default)).Should().BeFalse("another host's instance is not built");
        (await store.BeginBuildAsync(uuids[0], "c1", default)).Should().BeTrue();
        (await store.BeginBuildAsync(uuids[0], "c1", default)).Should().BeTrue("a build left at networking is resumed");
        (await store.FinishBuildAsync(uuids[0], PowerState.Running, default)).Should().BeFalse("not spawning yet");
        (await store.AdvanceBuildAsync(uuids[0], TaskStates.Networking, TaskStates.Spawning, default)).Should().BeTrue();
        (await store.AdvanceBuildAsync(uuids[0], TaskStates.Networking, TaskStates.Spawning, default)).Should().BeFalse();
        (await store.FinishBuildAsync(uuids[0], PowerState.Running, default)).Should().BeTrue();
        (await store.BeginBuildAsync(uuids[0], "c1", default)).Should().BeFalse("an active instance is not built again");
        var active = (await store.FindAsync(uuids[0], default))!;
        (active.VmState, active.TaskState, active.LaunchedAt is not null).Should().Be((VmStates.Active, (string?)null, true));

        await store.SetTaskStateAsync(uuids[0], TaskStates.Deleting, default);
        await store.MarkDeletedAsync(active, default);
        (await store.BeginBuildAsync(uuids[0], "c1", default)).Should().BeFalse("a deleted instance is not built");
    }
}
