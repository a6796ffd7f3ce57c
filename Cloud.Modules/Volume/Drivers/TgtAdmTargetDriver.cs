using System.Globalization;
using Cloud.Modules.Kernel.Host;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Volume.Drivers;

/// <summary>
/// Exports volumes with tgt (nova-volume's TgtAdm helper): one target per volume, LUN 1 backed by the volume's file or
/// block device, its own incoming CHAP account bound to it, and initiators allowed from any address (<c>-I ALL</c>): the
/// CHAP secret is the gate. Drives the tgtd of <c>--tgt_control_port</c> (<c>tgtadm -C N</c>; 0 = the machine's tgtd).
/// Every method reads <c>--op show</c> first and changes only what differs, so repeating one changes nothing. The CHAP
/// secret goes to tgtadm on its command line only; the command seam hides it in logs and errors.
/// </summary>
public sealed partial class TgtAdmTargetDriver(IOptions<VolumeFlags> flags, IHostCommands host, ILogger<TgtAdmTargetDriver> log) : IIscsiTargetDriver
{
    private const int Lun = 1;
    private const string AnyInitiator = "ALL";
    private const int RemoveAttempts = 20;
    private static readonly TimeSpan RemoveRetryDelay = TimeSpan.FromMilliseconds(100);

    private int ControlPort => flags.Value.TgtControlPort;

    private string ControlSocket => $"/var/run/tgtd/socket.{Text(ControlPort)}";

    public async Task CheckSetupAsync(CancellationToken cancellationToken)
    {
        var run = await host.TryAsync(Tgtadm("--op", "show", "--mode", "system"), cancellationToken).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw Unreachable(run);
        }
    }

    public async Task EnsureExportAsync(IscsiExport export, CancellationToken cancellationToken)
    {
        Validate(export);
        var targets = await ShowTargetsAsync(cancellationToken).ConfigureAwait(false);
        var target = targets.FirstOrDefault(t => t.Tid == export.Tid);
        // The tid is this volume's now (the manager's iscsi_targets row): a target holding it under another name is left
        // from an earlier owner, and one with this name under another tid from an earlier row (tgt refuses a second).
        foreach (var stale in targets.Where(t => (t.Tid == export.Tid) != (t.Iqn == export.Iqn)))
        {
            LogReplacingStale(stale.Tid, stale.Iqn, export.Tid, export.Iqn);
            await RemoveAsync(stale, cancellationToken).ConfigureAwait(false);
            if (stale == target)
            {
                target = null;
            }
        }
        if (target is null)
        {
            await RunAsync(cancellationToken, "--op", "new", "--mode", "target", "--tid", Text(export.Tid), "-T", export.Iqn).ConfigureAwait(false);
            LogCreated(export.Tid, export.Iqn);
        }
        await EnsureLunAsync(export, target, cancellationToken).ConfigureAwait(false);
        var opened = target?.Acls.Contains(AnyInitiator) == true;
        if (target?.IncomingUsers.SequenceEqual([export.ChapUser]) != true)
        {
            if (opened)
            {
                // Never a moment open without CHAP: tgt asks for no secret while a target has no account bound.
                await RunAsync(cancellationToken, "--op", "unbind", "--mode", "target", "--tid", Text(export.Tid), "-I", AnyInitiator).ConfigureAwait(false);
                opened = false;
            }
            await EnsureAccountAsync(export, target, cancellationToken).ConfigureAwait(false);
        }
        if (!opened)
        {
            await RunAsync(cancellationToken, "--op", "bind", "--mode", "target", "--tid", Text(export.Tid), "-I", AnyInitiator).ConfigureAwait(false);
        }
    }

    public async Task RemoveExportAsync(int tid, string iqn, CancellationToken cancellationToken)
    {
        var target = await FindAsync(tid, cancellationToken).ConfigureAwait(false);
        if (target is null || target.Iqn != iqn)
        {
            return;
        }
        await RemoveAsync(target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// tgt reads the size of a backing store when it opens it: the LUN is taken offline and given its path again, which
    /// reopens it (also while initiators are connected, though their commands fail in that instant; Cinder extends only
    /// volumes that are not attached). An export that is missing is created, with the new size.
    /// </summary>
    public async Task RefreshSizeAsync(IscsiExport export, CancellationToken cancellationToken)
    {
        Validate(export);
        var target = await FindAsync(export.Tid, cancellationToken).ConfigureAwait(false);
        if (target is null || target.Iqn != export.Iqn || target.BackingStores.GetValueOrDefault(Lun) != export.BackingPath)
        {
            await EnsureExportAsync(export, cancellationToken).ConfigureAwait(false);
            return;
        }
        string[] update = ["--op", "update", "--mode", "logicalunit", "--tid", Text(export.Tid), "--lun", Text(Lun), "--params"];
        await RunAsync(cancellationToken, [.. update, "online=0"]).ConfigureAwait(false);
        try
        {
            await RunAsync(cancellationToken, [.. update, $"path={export.BackingPath}"]).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Back online with the old size rather than an offline LUN.
            await host.TryAsync(Tgtadm([.. update, "online=1"]), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public async Task<IReadOnlyList<(int Tid, string Iqn)>> ListExportsAsync(CancellationToken cancellationToken) =>
        [.. (await ShowTargetsAsync(cancellationToken).ConfigureAwait(false)).Select(t => (t.Tid, t.Iqn))];

    private async Task EnsureLunAsync(IscsiExport export, TgtTarget? target, CancellationToken cancellationToken)
    {
        var path = target?.BackingStores.GetValueOrDefault(Lun);
        if (path == export.BackingPath)
        {
            return;
        }
        if (path is not null)
        {
            await RunAsync(cancellationToken, "--op", "delete", "--mode", "logicalunit", "--tid", Text(export.Tid), "--lun", Text(Lun)).ConfigureAwait(false);
        }
        await RunAsync(cancellationToken,
            "--op", "new", "--mode", "logicalunit", "--tid", Text(export.Tid), "--lun", Text(Lun),
            "-b", export.BackingPath, "--bstype", BackingStoreType(export.BackingPath), "--device-type", "disk").ConfigureAwait(false);
    }

    private async Task EnsureAccountAsync(IscsiExport export, TgtTarget? target, CancellationToken cancellationToken)
    {
        foreach (var other in target?.IncomingUsers.Where(u => u != export.ChapUser) ?? [])
        {
            await RunAsync(cancellationToken, "--op", "unbind", "--mode", "account", "--tid", Text(export.Tid), "--user", other).ConfigureAwait(false);
        }
        if (target?.IncomingUsers.Contains(export.ChapUser) == true)
        {
            return;
        }
        // tgt never shows a secret: an account that exists but is not bound here may hold an old one, so it is made anew.
        var accounts = TgtShowParser.Accounts(await RunAsync(cancellationToken, "--op", "show", "--mode", "account").ConfigureAwait(false));
        if (accounts.Contains(export.ChapUser))
        {
            await RunAsync(cancellationToken, "--op", "delete", "--mode", "account", "--user", export.ChapUser).ConfigureAwait(false);
        }
        await RunAsync(cancellationToken, "--op", "new", "--mode", "account", "--user", export.ChapUser, "--password", export.ChapPassword).ConfigureAwait(false);
        await RunAsync(cancellationToken, "--op", "bind", "--mode", "account", "--tid", Text(export.Tid), "--user", export.ChapUser).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes the door first (no new logins), then the initiators' connections, so that the forced delete is not refused
    /// for a LUN with commands in flight; tgt answers "still active" until those drain, which takes a moment.
    /// </summary>
    private async Task RemoveAsync(TgtTarget target, CancellationToken cancellationToken)
    {
        var tid = Text(target.Tid);
        await host.TryAsync(Tgtadm("--op", "unbind", "--mode", "target", "--tid", tid, "-I", AnyInitiator), cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var connections = await host.TryAsync(Tgtadm("--op", "show", "--mode", "conn", "--tid", tid), cancellationToken).ConfigureAwait(false);
            foreach (var (session, connection) in TgtShowParser.Connections(connections.Stdout))
            {
                await host.TryAsync(Tgtadm("--op", "delete", "--mode", "conn", "--tid", tid, "--sid", Text(session), "--cid", Text(connection)), cancellationToken)
                    .ConfigureAwait(false);
            }
            var delete = await host.TryAsync(Tgtadm("--op", "delete", "--force", "--mode", "target", "--tid", tid), cancellationToken).ConfigureAwait(false);
            if (delete.ExitCode == 0 || await FindAsync(target.Tid, cancellationToken).ConfigureAwait(false) is null)
            {
                break;
            }
            if (attempt == RemoveAttempts)
            {
                throw new InvalidOperationException($"tgt would not remove target {target.Tid} ({target.Iqn}): {delete.Stderr.Trim()}");
            }
            await Task.Delay(RemoveRetryDelay, cancellationToken).ConfigureAwait(false);
        }
        var stillBound = (await ShowTargetsAsync(cancellationToken).ConfigureAwait(false)).SelectMany(t => t.IncomingUsers).ToHashSet(StringComparer.Ordinal);
        foreach (var user in target.IncomingUsers.Where(u => !stillBound.Contains(u)))
        {
            await host.TryAsync(Tgtadm("--op", "delete", "--mode", "account", "--user", user), cancellationToken).ConfigureAwait(false);
        }
        LogRemoved(target.Tid, target.Iqn);
    }

    private async Task<TgtTarget?> FindAsync(int tid, CancellationToken cancellationToken) =>
        (await ShowTargetsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(t => t.Tid == tid);

    private async Task<IReadOnlyList<TgtTarget>> ShowTargetsAsync(CancellationToken cancellationToken)
    {
        var run = await host.TryAsync(Tgtadm("--op", "show", "--mode", "target"), cancellationToken).ConfigureAwait(false);
        return run.ExitCode == 0 ? TgtShowParser.Targets(run.Stdout) : throw Unreachable(run);
    }

    private Task<string> RunAsync(CancellationToken cancellationToken, params string[] arguments) => host.RunAsync(Tgtadm(arguments), cancellationToken);

    private string[] Tgtadm(params string[] arguments) =>
        ControlPort == 0 ? ["tgtadm", "--lld", "iscsi", .. arguments] : ["tgtadm", "-C", Text(ControlPort), "--lld", "iscsi", .. arguments];

    private InvalidOperationException Unreachable(CommandRunner.Result run) => new(
        $"tgtd does not answer on its control socket {ControlSocket} (--tgt_control_port={Text(ControlPort)}): {run.Stderr.Trim()}. "
        + "The volume role exports volumes with tgt: start tgtd (systemctl enable --now tgt) or point --tgt_control_port at a running one");

    /// <summary>
    /// Files use tgt's default rdwr (buffered pread/pwrite: sparse files stay sparse, the host's page cache serves reads,
    /// and the initiator's SYNCHRONIZE CACHE becomes an fsync); block devices (LVM volumes, under /dev) use aio (Linux AIO
    /// with O_DIRECT: no second copy of the guest's data in the host's page cache).
    /// </summary>
    private static string BackingStoreType(string path) => path.StartsWith("/dev/", StringComparison.Ordinal) ? "aio" : "rdwr";

    private static void Validate(IscsiExport export)
    {
        static bool Word(string s) => s.Length > 0 && !s.Any(char.IsWhiteSpace) && !s.StartsWith('-');
        if (export.Tid <= 0 || !Word(export.Iqn) || !Word(export.ChapUser) || export.ChapPassword.Length == 0
            || !Path.IsPathFullyQualified(export.BackingPath) || export.BackingPath.Any(char.IsControl))
        {
            // The record's ToString leaves the secret out.
            throw new ArgumentException($"not an export tgt can serve: {export}", nameof(export));
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "iSCSI target {Tid} {Iqn} created")]
    private partial void LogCreated(int tid, string iqn);

    [LoggerMessage(Level = LogLevel.Information, Message = "iSCSI target {Tid} {Iqn} removed")]
    private partial void LogRemoved(int tid, string iqn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "iSCSI target {StaleTid} {StaleIqn} is in the way of {Tid} {Iqn}: removing it")]
    private partial void LogReplacingStale(int staleTid, string staleIqn, int tid, string iqn);
}
