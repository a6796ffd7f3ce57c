using Cloud.Modules.Compute;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>
/// The scheduler reconciler's selection and conditional transitions on each engine: a build stuck past
/// instance_build_timeout fails with its claim and fixed IP given back, and two reconcilers racing on the same rows
/// (as two schedulers would) give each claim back once. The other cases are in Unit/Scheduler/BuildReconcilerTests.
/// </summary>
[TestFixture(typeof(SqliteHarness))]
[TestFixture(typeof(MySqlHarness), Category = "Integration")]
public sealed class BuildReconcilerContractTests<THarness> where THarness : IDbHarness, new()
{
    private THarness _harness = default!;
    private StuckBuildsCloud _cloud = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _harness = Harness.New<THarness>();
        _cloud = await StuckBuildsCloud.StartAsync(_harness);
        await _cloud.Cloud.AddHostAsync("c1");
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
    public async Task A_build_whose_run_instance_was_lost_fails_after_instance_build_timeout_with_its_claim_and_fixed_ip_given_back()
    {
        var networks = await _cloud.ServeNetworkAsync();
        var uuid = (await _cloud.NewBuildsAsync(1))[0];
        await _cloud.ClaimAsync(uuid, "c1");
        (await networks.AllocateAsync(uuid, "guest", default)).Should().NotBeNull();
        var reconciler = _cloud.Cloud.NewReconciler();

        await _cloud.AdvanceAsync(TimeSpan.FromSeconds(300), "c1");
        await reconciler.ReconcileAsync(default);
        (await _cloud.FindAsync(uuid)).VmState.Should().Be(VmStates.Building, "instance_build_timeout (600 s) has not passed");

        await _cloud.AdvanceAsync(TimeSpan.FromSeconds(301), "c1");
        await reconciler.ReconcileAsync(default);
        await reconciler.ReconcileAsync(default);

        var failed = await _cloud.FindAsync(uuid);
        failed.Should().BeEquivalentTo(new { VmState = VmStates.Error, TaskState = (string?)null, Host = (string?)null, FaultCode = 500L });
        failed.FaultMessage.Should().Contain("Build timed out").And.Contain("task_state none, host c1").And.Contain("instance_build_timeout (600 s)");
        (await _cloud.UsedMemoryAsync("c1")).Should().Be(0, "the claim goes back, once");
        (await networks.OfInstanceAsync(uuid, default)).Should().BeNull("deallocate_for_instance went to the network role");
    }

    [Test]
    public async Task Two_reconcilers_racing_on_the_same_stuck_builds_give_each_claim_back_once()
    {
        var uuids = await _cloud.NewBuildsAsync(10);
        foreach (var uuid in uuids)
        {
            await _cloud.ClaimAsync(uuid, "c1");
        }
        (await _cloud.UsedMemoryAsync("c1")).Should().Be(10 * StuckBuildsCloud.MemoryMb);
        await _cloud.AdvanceAsync(TimeSpan.FromSeconds(601), "c1");
        var reconcilers = new[] { _cloud.Cloud.NewReconciler(), _cloud.Cloud.NewReconciler() };

        await Task.WhenAll(reconcilers.Select(r => Task.Run(() => r.ReconcileAsync(default))));

        (await _cloud.Cloud.Store.ByUuidsAsync(uuids, default)).Should().OnlyContain(i => i.VmState == VmStates.Error && i.Host == null);
        (await _cloud.UsedMemoryAsync("c1")).Should().Be(0);
    }

    [Test]
    public async Task Two_reconcilers_racing_to_finish_a_delete_on_a_dead_host_give_its_claim_back_once()
    {
        var uuid = await _cloud.ActiveOnAsync("c1");
        await _cloud.Cloud.Store.SetTaskStateAsync(uuid, TaskStates.Deleting, default);
        var reconcilers = new[] { _cloud.Cloud.NewReconciler(), _cloud.Cloud.NewReconciler() };

        await _cloud.AdvanceAsync(TimeSpan.FromSeconds(601));
        await Task.WhenAll(reconcilers.Select(r => Task.Run(() => r.ReconcileAsync(default))));

        (await _cloud.FindAsync(uuid)).Should().BeEquivalentTo(new { Deleted = true, VmState = "deleted", TaskState = (string?)null });
        (await _cloud.UsedMemoryAsync("c1")).Should().Be(0, "the claim goes back, once");
    }
}
