using FluentAssertions;

namespace Cloud.Tests.Support;

/// <summary>
/// A hypervisor host of a test's own: a network namespace with its own system bus, virtlogd and libvirtd
/// (scripts/virt-host.sh up --netns), so its domains, bridges and taps are invisible to every other host.
/// A cloudd started with <see cref="Environment"/> reaches this host's libvirt-dbus.
/// </summary>
public sealed class VirtHost : IAsyncDisposable
{
    private readonly TempDir _dir;

    private VirtHost(NetworkNamespace ns, TempDir dir, IReadOnlyDictionary<string, string> environment)
    {
        Namespace = ns;
        _dir = dir;
        Environment = environment;
    }

    public NetworkNamespace Namespace { get; }

    /// <summary>What a process needs to talk to this host's libvirt (DBUS_SYSTEM_BUS_ADDRESS, …), from the script's env file.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The URI virsh uses to reach this host's libvirtd from outside its mount namespace.</summary>
    public string VirshUri => Environment.TryGetValue("LIBVIRT_DEFAULT_URI", out var uri) ? uri : $"qemu:///system?socket={Path.Combine(_dir.Path, "run-libvirt", "libvirt-sock")}";

    public string Directory => _dir.Path;

    public static async Task<VirtHost> StartAsync(string purpose)
    {
        var ns = await NetworkNamespace.CreateAsync(purpose);
        var dir = new TempDir();
        var up = await RunScriptAsync("up", ns.Name, dir.Path);
        up.ExitCode.Should().Be(0, "scripts/virt-host.sh up --netns {0}: {1}", ns.Name, up);
        return new VirtHost(ns, dir, ReadEnvironment(Path.Combine(dir.Path, "env")));
    }

    /// <summary>Runs virsh against this host's libvirtd; fails the test unless it succeeds.</summary>
    public Task<string> VirshAsync(params string[] arguments) => Virsh.RunAsync(VirshUri, arguments);

    /// <summary>
    /// The arguments of <c>/bin/bash</c> that run <paramref name="script"/> inside this host (its network and mount
    /// namespaces, its bus: <c>virt-host.sh exec</c>), as a process on that host would.
    /// </summary>
    public string[] ExecArguments(string script) =>
        [Path.Combine(TestEnv.RepoRoot, "scripts", "virt-host.sh"), "exec", "--netns", Namespace.Name, "--dir", Directory, "--", "/bin/bash", "-c", script];

    private static Task<ToolRun> RunScriptAsync(string verb, string ns, string dir) =>
        ExternalTool.RunAsync("/bin/bash", [Path.Combine(TestEnv.RepoRoot, "scripts", "virt-host.sh"), verb, "--netns", ns, "--dir", dir], "/tmp", timeout: TimeSpan.FromMinutes(5));

    private static Dictionary<string, string> ReadEnvironment(string file) =>
        File.ReadAllLines(file)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.StartsWith("export ", StringComparison.Ordinal) ? line[7..] : line)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1].Trim('\'', '"'));

    public async ValueTask DisposeAsync()
    {
        await RunScriptAsync("down", Namespace.Name, _dir.Path);
        await Namespace.DisposeAsync();
        _dir.Dispose();
    }
}
