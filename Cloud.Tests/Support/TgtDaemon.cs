using System.Globalization;
using System.Text.RegularExpressions;

namespace Cloud.Tests.Support;

/// <summary>
/// A tgtd of this test's own: <c>tgtd -f -C N --iscsi portal=ADDR:PORT</c>, driven with <c>tgtadm -C N</c> (control socket
/// <c>/var/run/tgtd/socket.N</c>, reachable from any network namespace), optionally inside a <see cref="NetworkNamespace"/>
/// (then its portal is that namespace's address). Each engineer's tests use their own control and portal ports, never 0
/// (the machine's tgtd) and never another's. Disposing removes every target and account it holds and stops it: tgtd
/// ignores SIGTERM while targets exist, so targets go first, then <c>--op delete --mode system</c>, then a kill by pid if
/// it is still there.
/// </summary>
public sealed partial class TgtDaemon : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly BackgroundTool _process;
    private bool _gone;

    private TgtDaemon(BackgroundTool process, int controlPort, string portalAddress, int portalPort)
    {
        _process = process;
        ControlPort = controlPort;
        PortalAddress = portalAddress;
        PortalPort = portalPort;
    }

    /// <summary>Its <c>-C</c> (the value of <c>--tgt_control_port</c>).</summary>
    public int ControlPort { get; }

    public string PortalAddress { get; }

    public int PortalPort { get; }

    /// <summary><c>ADDR:PORT</c>, as iSCSI URLs and libvirt's &lt;host&gt; name it.</summary>
    public string Portal => $"{PortalAddress}:{PortalPort}";

    /// <summary>The control socket tgtadm talks to.</summary>
    public string ControlSocket => $"/var/run/tgtd/socket.{ControlPort}";

    /// <summary>
    /// Starts tgtd and waits until <c>tgtadm -C N</c> answers. Needs root and the tgt package (the test is ignored
    /// otherwise, or fails under CLOUD_TEST_REQUIRE=1). Fails when a tgtd already serves the control port (one left
    /// behind by an earlier run must be stopped first: <c>tgtadm -C N --op delete --mode system</c>).
    /// </summary>
    public static async Task<TgtDaemon> StartAsync(int controlPort, int portalPort, NetworkNamespace? inside = null, string portalAddress = "127.0.0.1")
    {
        if (controlPort == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(controlPort), "control port 0 is the machine's own tgtd: tests never touch it");
        }
        TestEnv.RequireRoot();
        var tgtd = ExternalTool.Require("tgtd", "tgt");
        ExternalTool.Require("tgtadm", "tgt");
        if ((await AdmAsync(controlPort, "--op", "show", "--mode", "system")).ExitCode == 0)
        {
            throw new InvalidOperationException(
                $"a tgtd already serves control port {controlPort}: stop it (tgtadm -C {controlPort} --op delete --mode system) or pick another port");
        }
        string[] command = [tgtd, "-f", "-C", Text(controlPort), "--iscsi", $"portal={portalAddress}:{Text(portalPort)}"];
        string[] full = inside is null ? command : [.. inside.Prefix, .. command];
        var process = BackgroundTool.Start(full[0], full[1..]);
        var daemon = new TgtDaemon(process, controlPort, portalAddress, portalPort);
        try
        {
            await Poller.UntilAsync(async () =>
                process.HasExited
                    ? throw new InvalidOperationException($"tgtd -C {controlPort} exited at start: {process.Output}")
                    : (await AdmAsync(controlPort, "--op", "show", "--mode", "system")).ExitCode == 0,
                StartTimeout, $"tgtd answering on {daemon.ControlSocket}");
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <c>tgtadm -C N --lld iscsi ARGS</c> against this daemon (any exit code).</summary>
    public Task<ToolRun> AdmAsync(params string[] arguments) => AdmAsync(ControlPort, arguments);

    /// <summary>Runs tgtadm and fails the test unless it succeeds; returns its stdout.</summary>
    public async Task<string> AdmOkAsync(params string[] arguments)
    {
        var run = await AdmAsync(arguments);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"tgtadm -C {ControlPort} {string.Join(' ', arguments)}: {run}");
        }
        return run.Stdout;
    }

    /// <summary>The tids of the targets it holds now.</summary>
    public async Task<IReadOnlyList<int>> TargetIdsAsync() =>
        [.. TargetLine().Matches(await AdmOkAsync("--op", "show", "--mode", "target")).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    /// <summary>Kills it now, as a crash would (targets and all): what a driver sees when tgtd is gone.</summary>
    public async Task KillAsync()
    {
        if (!_gone)
        {
            _gone = true;
            await _process.DisposeAsync();
        }
    }

    /// <summary>What tgtd printed (for assertion messages).</summary>
    public string Output => _process.Output;

    public async ValueTask DisposeAsync()
    {
        if (_gone)
        {
            return;
        }
        if (!_process.HasExited)
        {
            await RemoveEverythingAsync();
            await AdmAsync("--op", "delete", "--mode", "system");
            await _process.TerminateAsync(StopTimeout);
        }
        // Kills it by pid if it is still there (a target that would not go).
        await KillAsync();
    }

    private async Task RemoveEverythingAsync()
    {
        var targets = await AdmAsync("--op", "show", "--mode", "target");
        foreach (Match target in TargetLine().Matches(targets.Stdout))
        {
            var tid = target.Groups[1].Value;
            // Closing the initiators' connections first lets the forced delete through even while they send commands.
            await AdmAsync("--op", "unbind", "--mode", "target", "--tid", tid, "-I", "ALL");
            var connections = await AdmAsync("--op", "show", "--mode", "conn", "--tid", tid);
            foreach (Match session in SessionLine().Matches(connections.Stdout))
            {
                await AdmAsync("--op", "delete", "--mode", "conn", "--tid", tid, "--sid", session.Groups[1].Value, "--cid", "0");
            }
            await AdmAsync("--op", "delete", "--force", "--mode", "target", "--tid", tid);
        }
        var accounts = await AdmAsync("--op", "show", "--mode", "account");
        foreach (var user in accounts.Stdout.Split('\n').Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            await AdmAsync("--op", "delete", "--mode", "account", "--user", user);
        }
    }

    private static Task<ToolRun> AdmAsync(int controlPort, params string[] arguments) =>
        ExternalTool.RunAsync("tgtadm", ["-C", Text(controlPort), "--lld", "iscsi", .. arguments], "/tmp");

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^Target (\d+): ", RegexOptions.Multiline)]
    private static partial Regex TargetLine();

    [GeneratedRegex(@"^Session: (\d+)", RegexOptions.Multiline)]
    private static partial Regex SessionLine();
}
