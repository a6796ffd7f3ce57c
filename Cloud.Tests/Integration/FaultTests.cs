using Cloud.Tests.Support;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Issue 15's fault experiments, each under a steady create/delete load through the Compute API on a cloud of separate
/// processes (<see cref="FaultCloud"/>: controller, two fake compute hosts, a private MariaDB and RabbitMQ), each then
/// asserting <see cref="FaultInvariants"/>: every request succeeded or failed cleanly, nothing is left in a
/// transitional state after the reconcilers' deadline, claims match the live instances, no guest runs without an
/// instance. Each also records its recovery time (<see cref="FaultFigures"/>; scripts/bench-faults.sh prints them).
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class FaultTests
{
    /// <summary>How long a recovery may take before the experiment stops waiting for it (and the invariants say the rest).</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(45);

    private FaultCloud _cloud = null!;
    private FaultLoad _load = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _cloud = await FaultCloud.StartAsync();
        _load = FaultLoad.Start(_cloud.Cloud);
        await _load.UntilCreatedAsync(4);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        if (_load is not null)
        {
            await _load.DisposeAsync();
        }
        if (_cloud is not null)
        {
            // Whatever the test stopped is started again (idempotent), so the next test and the teardown find them.
            await _cloud.ServicesAsync("start-mariadb");
            await _cloud.ServicesAsync("up");
            await _cloud.DisposeAsync();
        }
    }

    [Test]
    public async Task RabbitMQ_restarted_once()
    {
        await _cloud.ServicesAsync("restart-rabbitmq");
        await FirstCreateAsync("rabbitmq restarted once", "broker back -> first accepted create", _load.Now);

        await _load.StopAsync();
        await new FaultInvariants(_cloud).AssertAsync(_load);
    }

    [Test]
    public async Task RabbitMQ_restarted_three_times_a_few_seconds_apart()
    {
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            await _cloud.ServicesAsync("restart-rabbitmq");
        }
        await FirstCreateAsync("rabbitmq restarted 3 times", "broker back -> first accepted create", _load.Now);

        await _load.StopAsync();
        await new FaultInvariants(_cloud).AssertAsync(_load);
    }

    [Test]
    public async Task MariaDB_stopped_for_15_seconds()
    {
        await _cloud.ServicesAsync("stop-mariadb");
        await Task.Delay(TimeSpan.FromSeconds(15));
        await _cloud.ServicesAsync("start-mariadb");
        var back = _load.Now;
        var first = await UntilAsync(() => _load.Outcomes.Where(o => o.Succeeded && o.At >= back).Select(o => (double?)o.AnsweredAt).Min());
        FaultFigures.Record("mariadb stopped 15s", "DB back -> first 2xx", first - back, RecoveryBound.TotalSeconds);
        await FirstCreateAsync("mariadb stopped 15s", "DB back -> first accepted create", back);

        await _load.StopAsync();
        await new FaultInvariants(_cloud).AssertAsync(_load);
    }

    [Test]
    public async Task A_compute_host_killed_mid_build_and_restarted_after_it_was_noticed_down()
    {
        var host = _cloud.HostNames.First();
        await WhenAnInstanceOnAsync(host, "vm_state = 'building'");
        await _cloud.KillComputeAsync(host);
        var killed = _load.Now;
        var down = await UntilAsync(async () => (await _cloud.ServiceStatesAsync()).Any(s => s.Host == host && s.State == "down") ? _load.Now : (double?)null);
        FaultFigures.Record("compute host killed", "host death -> noticed down (os-services)", down - killed, RecoveryBound.TotalSeconds);

        _cloud.StartCompute(host);
        await UntilAsync(async () => (await _cloud.ServiceStatesAsync()).Any(s => s.Host == host && s.State == "up") ? true : (bool?)null);
        await FirstCreateAsync("compute host killed", "host back -> first accepted create", _load.Now);

        await _load.StopAsync();
        await new FaultInvariants(_cloud).AssertAsync(_load);
    }

    [Test]
    public async Task A_compute_host_killed_mid_delete_and_restarted_at_once()
    {
        var host = _cloud.HostNames.First();
        await WhenAnInstanceOnAsync(host, "task_state = 'deleting'");
        await _cloud.KillComputeAsync(host);
        _cloud.StartCompute(host);
        await FirstCreateAsync("compute host killed mid-delete", "host restarted -> first accepted create", _load.Now);

        await _load.StopAsync();
        await new FaultInvariants(_cloud).AssertAsync(_load);
    }

    [Test]
    public async Task The_api_and_scheduler_process_killed_and_restarted()
    {
        var killed = _load.Now;
        await _cloud.Cloud.Cloud.RestartAsync(() => Task.CompletedTask);
        var up = _load.Now;
        await FirstCreateAsync("api/scheduler killed", "process up -> first accepted create", up);

        await _load.StopAsync();
        // Nothing answers while the process is dead: those requests could not connect, which is no fault of cloudd's.
        await new FaultInvariants(_cloud).AssertAsync(_load, o => o.AnsweredAt >= killed && o.At <= up);
    }

    /// <summary>Records how long after <paramref name="since"/> the first create sent then was accepted (or that none was, within the bound).</summary>
    private async Task FirstCreateAsync(string experiment, string what, double since)
    {
        var first = await UntilAsync(() => _load.Outcomes.Where(o => o.Request == "create" && o.Status == 202 && o.At >= since).Select(o => (double?)o.AnsweredAt).Min());
        FaultFigures.Record(experiment, what, first - since, RecoveryBound.TotalSeconds);
        // A few more creates after the first, so the experiment also sees the cloud working steadily again.
        await UntilAsync(() => _load.Outcomes.Count(o => o.Request == "create" && o.Status == 202 && o.At >= since) >= 4 ? true : (bool?)null);
    }

    /// <summary>
    /// Waits (bounded) until an instance on the host matches <paramref name="condition"/> (SQL), to strike while it is in
    /// that state; the fake driver is quick, so when none is caught in time the fault strikes anyway, under load.
    /// </summary>
    private async Task WhenAnInstanceOnAsync(string host, string condition)
    {
        var caught = await UntilAsync(async () =>
            (await _cloud.QueryAsync<string>($"SELECT uuid FROM instances WHERE deleted = 0 AND host = @Host AND {condition}", new { Host = host })).Count > 0 ? true : (bool?)null,
            TimeSpan.FromSeconds(15));
        TestContext.Out.WriteLine(caught is null ? $"no instance on {host} was caught with {condition}: killed under load anyway" : $"killed while an instance on {host} had {condition}");
    }

    /// <summary>Polls until <paramref name="value"/> has one, or <paramref name="bound"/> (default <see cref="RecoveryBound"/>) passes (null).</summary>
    private static async Task<T?> UntilAsync<T>(Func<Task<T?>> value, TimeSpan? bound = null)
        where T : struct
    {
        var deadline = DateTime.UtcNow + (bound ?? RecoveryBound);
        while (DateTime.UtcNow < deadline)
        {
            if (await value() is { } found)
            {
                return found;
            }
            await Task.Delay(50);
        }
        return null;
    }

    private static Task<T?> UntilAsync<T>(Func<T?> value)
        where T : struct => UntilAsync(() => Task.FromResult(value()));
}
