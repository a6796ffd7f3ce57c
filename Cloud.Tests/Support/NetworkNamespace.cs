using FluentAssertions;

namespace Cloud.Tests.Support;

/// <summary>
/// A network namespace of this test's own (<c>ip netns add cloudd-t-…</c>): bridges, DHCP servers, guests and the
/// cloudd processes of a test live inside it, so nothing binds or routes outside loopback in the machine's own
/// namespace. Disposing ends what still runs inside it (only this test's processes) and deletes it.
/// </summary>
public sealed class NetworkNamespace : IAsyncDisposable
{
    private const string Ip = "/usr/bin/ip";
    private static int _count;

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    /// <summary>The command prefix that runs a program inside the namespace.</summary>
    public IReadOnlyList<string> Prefix => [Ip, "netns", "exec", Name];

    public static async Task<NetworkNamespace> CreateAsync(string purpose)
    {
        ExternalTool.Require("ip", "iproute2");
        TestEnv.RequireRoot();
        var name = $"cloudd-t-{purpose}-{Environment.ProcessId % 100000}-{Interlocked.Increment(ref _count)}";
        var ns = new NetworkNamespace(name);
        (await ExternalTool.RunAsync(Ip, ["netns", "add", name], "/tmp")).ExitCode.Should().Be(0, "ip netns add {0}", name);
        await ns.RunAsync(Ip, "link", "set", "lo", "up");
        return ns;
    }

    /// <summary>Runs a program inside the namespace and returns what it did (any exit code).</summary>
    public Task<ToolRun> ExecAsync(string program, IEnumerable<string> arguments, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null) =>
        ExternalTool.RunAsync(Ip, ["netns", "exec", Name, program, .. arguments], "/tmp", environment: environment, timeout: timeout);

    /// <summary>Runs a program inside the namespace and fails the test unless it succeeds; returns its stdout.</summary>
    public async Task<string> RunAsync(string program, params string[] arguments)
    {
        var run = await ExecAsync(program, arguments);
        run.ExitCode.Should().Be(0, "{0} {1} in {2}: {3}", program, string.Join(' ', arguments), Name, run);
        return run.Stdout;
    }

    public async ValueTask DisposeAsync()
    {
        var pids = await ExternalTool.RunAsync(Ip, ["netns", "pids", Name], "/tmp");
        foreach (var pid in pids.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await ExternalTool.RunAsync("/bin/kill", ["-9", pid.Trim()], "/tmp");
        }
        await ExternalTool.RunAsync(Ip, ["netns", "del", Name], "/tmp");
    }
}
