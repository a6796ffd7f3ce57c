using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Compute.Firewall;

/// <summary>
/// Applies instances' filters with iptables (a driver: it never touches the database). Each change is one
/// <c>iptables-restore --noflush</c> of only the chains it changes (<see cref="IptablesRules"/>): atomic, one process
/// whatever the number of rules, and nothing outside cloudd's chains is touched. It remembers what it applied, so a
/// refresh that changes nothing for an instance rewrites nothing.
/// </summary>
public sealed partial class IptablesFirewallDriver(IFirewallCommands commands, ILogger<IptablesFirewallDriver> log)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, (InstanceFilter Filter, string Rendered)> _applied = new(StringComparer.Ordinal);

    /// <summary>
    /// The whole host as <paramref name="all"/> says: bridged traffic passes iptables, FORWARD jumps to
    /// <c>cloudd-FORWARD</c>, every instance's chains are rewritten, and chains of instances no longer here are deleted.
    /// Idempotent: run twice, the second run leaves <c>iptables-save</c> as it was.
    /// </summary>
    /// <returns>The number of stale instances whose chains were deleted.</returns>
    public async Task<int> SyncAsync(IReadOnlyCollection<InstanceFilter> all, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureBaseAsync(cancellationToken).ConfigureAwait(false);
            var keep = all.Select(f => IptablesRules.Key(f.InstanceUuid)).ToHashSet(StringComparer.Ordinal);
            var stale = (await ChainKeysAsync(cancellationToken).ConfigureAwait(false)).Where(k => !keep.Contains(k)).ToList();
            await RestoreAsync(IptablesRules.Script(all, all, stale), cancellationToken).ConfigureAwait(false);
            _applied.Clear();
            foreach (var filter in all)
            {
                _applied[filter.InstanceUuid] = (filter, Render(filter));
            }
            return stale.Count;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Rewrites the chains of those of <paramref name="filters"/> whose rules differ from what is applied; an instance
    /// not applied yet is added (its jumps too). Nothing else is rewritten.
    /// </summary>
    /// <returns>The number of instances whose chains were rewritten.</returns>
    public async Task<int> ApplyAsync(IReadOnlyCollection<InstanceFilter> filters, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var changed = filters.Select(f => (Filter: f, Rendered: Render(f)))
                .Where(f => !_applied.TryGetValue(f.Filter.InstanceUuid, out var now) || now.Rendered != f.Rendered)
                .ToList();
            if (changed.Count == 0)
            {
                return 0;
            }
            var added = changed.Any(f => !_applied.ContainsKey(f.Filter.InstanceUuid));
            var after = new Dictionary<string, (InstanceFilter, string)>(_applied, StringComparer.Ordinal);
            foreach (var f in changed)
            {
                after[f.Filter.InstanceUuid] = f;
            }
            var dispatch = added ? after.Values.Select(a => a.Item1).ToList() : null;
            await RestoreAsync(IptablesRules.Script(changed.Select(f => f.Filter), dispatch, []), cancellationToken).ConfigureAwait(false);
            foreach (var f in changed)
            {
                _applied[f.Filter.InstanceUuid] = f;
            }
            return changed.Count;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The instance's jumps and chains are gone (a no-op when it has none).</summary>
    public async Task RemoveAsync(string instanceUuid, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var key = IptablesRules.Key(instanceUuid);
            if (!_applied.ContainsKey(instanceUuid) && !(await ChainKeysAsync(cancellationToken).ConfigureAwait(false)).Contains(key))
            {
                return;
            }
            var remaining = _applied.Where(a => a.Key != instanceUuid).Select(a => a.Value.Filter).ToList();
            await RestoreAsync(IptablesRules.Script([], remaining, [key]), cancellationToken).ConfigureAwait(false);
            _applied.Remove(instanceUuid);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string Render(InstanceFilter filter) => string.Join('\n', IptablesRules.Chains(filter).Prepend(filter.Tap));

    /// <summary>Bridged frames go through iptables (br_netfilter), FORWARD jumps to cloudd-FORWARD first, and instances get no IPv6.</summary>
    private async Task EnsureBaseAsync(CancellationToken cancellationToken)
    {
        await RunAsync(["sysctl", "-q", "-w", "net.bridge.bridge-nf-call-iptables=1"], cancellationToken).ConfigureAwait(false);
        if ((await commands.RunAsync(["iptables", "-w", "-t", "filter", "-S", IptablesRules.DispatchChain], null, cancellationToken).ConfigureAwait(false)).ExitCode != 0)
        {
            await RunAsync(["iptables", "-w", "-t", "filter", "-N", IptablesRules.DispatchChain], cancellationToken).ConfigureAwait(false);
        }
        if ((await commands.RunAsync(["iptables", "-w", "-t", "filter", "-C", "FORWARD", "-j", IptablesRules.DispatchChain], null, cancellationToken).ConfigureAwait(false)).ExitCode != 0)
        {
            await RunAsync(["iptables", "-w", "-t", "filter", "-I", "FORWARD", "1", "-j", IptablesRules.DispatchChain], cancellationToken).ConfigureAwait(false);
        }
        // Instances have no IPv6 in cloudd: bridged IPv6 to and from any instance tap is dropped, so tenants sharing a
        // flat bridge cannot reach each other over link-local addresses the IPv4 chains never see.
        await RunAsync(["sysctl", "-q", "-w", "net.bridge.bridge-nf-call-ip6tables=1"], cancellationToken).ConfigureAwait(false);
        foreach (var rule in IptablesRules.Ipv6Drops)
        {
            if ((await commands.RunAsync(["ip6tables", "-w", "-t", "filter", "-C", "FORWARD", .. rule], null, cancellationToken).ConfigureAwait(false)).ExitCode != 0)
            {
                await RunAsync(["ip6tables", "-w", "-t", "filter", "-I", "FORWARD", "1", .. rule], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The keys of the instance chains the filter table has now (ours or left by an earlier run).</summary>
    private async Task<IReadOnlySet<string>> ChainKeysAsync(CancellationToken cancellationToken)
    {
        var save = await RunAsync(["iptables-save", "-t", "filter"], cancellationToken).ConfigureAwait(false);
        return ChainLine().Matches(save).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
    }

    private async Task RestoreAsync(string script, CancellationToken cancellationToken)
    {
        var (exit, _, stderr) = await commands.RunAsync(["iptables-restore", "-w", "5", "--noflush"], script, cancellationToken).ConfigureAwait(false);
        if (exit != 0)
        {
            throw new InvalidOperationException($"iptables-restore failed with exit code {exit}: {stderr.Trim()}");
        }
        LogRestored(script.Count(c => c == '\n'));
    }

    private async Task<string> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var (exit, stdout, stderr) = await commands.RunAsync(command, null, cancellationToken).ConfigureAwait(false);
        return exit == 0 ? stdout : throw new InvalidOperationException($"'{string.Join(' ', command)}' failed with exit code {exit}: {stderr.Trim()}");
    }

    [GeneratedRegex(@"^:cloudd-(?:inst|spoof)-([0-9a-f]{12}) ", RegexOptions.Multiline)]
    private static partial Regex ChainLine();

    [LoggerMessage(Level = LogLevel.Debug, Message = "iptables-restore applied {Lines} lines")]
    private partial void LogRestored(int lines);
}
