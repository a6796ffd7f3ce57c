namespace Cloud.Tests.Support;

/// <summary>The short timeouts the fault experiments run with, so a recovery shows within a cheap test.</summary>
public static class FaultFlags
{
    /// <summary>The build deadline of the reconcilers (seconds): an instance still building after it is resumed or failed.</summary>
    public const int InstanceBuildTimeout = 20;

    /// <summary>A compute host whose heartbeat is older than this (seconds) is down.</summary>
    public const int ServiceDownTime = 5;

    /// <summary>Every process of the fault cloud gets these.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        $"--instance_build_timeout={InstanceBuildTimeout}", "--instance_scheduling_timeout=10", "--periodic_interval=1",
        "--report_interval=1", $"--service_down_time={ServiceDownTime}", "--rpc_cast_timeout=3",
        // The compute hosts' sweep for guests no live instance owns (a delete that raced a spawn, a host that was down).
        "--running_deleted_instance_poll_interval=2",
    ];
}
