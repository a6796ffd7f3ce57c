namespace Cloud.Tests.Support;

/// <summary>
/// The short timeouts the fault experiments run with, so a recovery shows within a cheap test. Some of these flags
/// arrive with issue 15's fixes; a build that does not know one would refuse to start, so only the flags
/// <c>cloudd manage flags</c> lists are passed (<see cref="MissingAsync"/> names the others, for the test's output).
/// </summary>
public static class FaultFlags
{
    /// <summary>The build deadline of the reconcilers (seconds): an instance still building after it is resumed or failed.</summary>
    public const int InstanceBuildTimeout = 20;

    /// <summary>A compute host whose heartbeat is older than this (seconds) is down.</summary>
    public const int ServiceDownTime = 5;

    private static readonly (string Name, string Value)[] Wanted =
    [
        ("instance_build_timeout", $"{InstanceBuildTimeout}"), ("periodic_interval", "1"), ("report_interval", "1"),
        ("service_down_time", $"{ServiceDownTime}"), ("rpc_cast_timeout", "3"),
    ];

    private static readonly Lazy<Task<HashSet<string>>> Known = new(KnownAsync);

    /// <summary>The wanted flags this build knows, as <c>--name=value</c>.</summary>
    public static async Task<IReadOnlyList<string>> SupportedAsync()
    {
        var known = await Known.Value;
        return [.. Wanted.Where(f => known.Contains(f.Name)).Select(f => $"--{f.Name}={f.Value}")];
    }

    /// <summary>The wanted flags this build does not know yet.</summary>
    public static async Task<IReadOnlyList<string>> MissingAsync()
    {
        var known = await Known.Value;
        return [.. Wanted.Where(f => !known.Contains(f.Name)).Select(f => f.Name)];
    }

    /// <summary>Every flag name <c>cloudd manage flags</c> lists (its lines read <c>  --name=default</c>).</summary>
    private static async Task<HashSet<string>> KnownAsync()
    {
        var (code, stdout, stderr) = await CloudProcess.RunAsync("manage", "flags");
        if (code != 0)
        {
            throw new InvalidOperationException($"cloudd manage flags failed: {stderr}");
        }
        return [.. stdout.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("--", StringComparison.Ordinal))
            .Select(l => l[2..].Split('=')[0])];
    }
}
