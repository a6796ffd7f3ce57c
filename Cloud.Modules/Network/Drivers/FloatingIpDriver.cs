using Cloud.Modules.Kernel.Host;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Network.Drivers;

/// <summary>
/// The host side of floating IPs on a network host (nova's linux_net floating_forward_rules): each associated address
/// is a /32 on its public interface, DNATed to its fixed IP in <see cref="DnatChain"/> (jumped to from PREROUTING, and
/// from OUTPUT so the host itself reaches it too), and the fixed IP's outbound traffic leaves with it through
/// <see cref="SnatChain"/>, jumped to first from POSTROUTING so it precedes the fixed range's MASQUERADE.
/// <see cref="EnsureAsync"/> is idempotent and converges: what is missing is added, what no longer belongs is removed,
/// nothing is duplicated. Commands go through <paramref name="commands"/> (a recorded-command seam in unit tests).
/// A driver: it never touches the database.
/// </summary>
public sealed partial class FloatingIpDriver(IHostCommands commands, ILogger<FloatingIpDriver> log)
{
    public const string DnatChain = "cloudd-float-dnat";
    public const string SnatChain = "cloudd-float-snat";

    private static readonly (string Chain, string Parent)[] Jumps = [(DnatChain, "PREROUTING"), (DnatChain, "OUTPUT"), (SnatChain, "POSTROUTING")];

    public static IReadOnlyList<string> DnatRule(FloatingNat nat)
    {
        ArgumentNullException.ThrowIfNull(nat);
        return ["-d", $"{nat.FloatingAddress}/32", "-j", "DNAT", "--to-destination", nat.FixedAddress];
    }

    /// <param name="nat">The association.</param>
    /// <param name="keepSourceTo">A destination the guest keeps its fixed IP for (the metadata service knows guests by it), or null.</param>
    public static IReadOnlyList<string> SnatRule(FloatingNat nat, string? keepSourceTo)
    {
        ArgumentNullException.ThrowIfNull(nat);
        return ["-s", $"{nat.FixedAddress}/32", .. keepSourceTo is null ? Array.Empty<string>() : ["!", "-d", $"{keepSourceTo}/32"],
            "-o", nat.Interface, "-j", "SNAT", "--to-source", nat.FloatingAddress];
    }

    /// <summary>
    /// The host carries exactly <paramref name="wanted"/>: addresses and rules added where missing; rules of other
    /// addresses removed from cloudd's floating chains, and the cloud's other floating addresses
    /// (<paramref name="managed"/>, by interface) removed from their interfaces. Traffic to <paramref name="keepSourceTo"/>
    /// is not SNATed (nova's metadata exemption, which precedes its float-snat).
    /// </summary>
    public async Task EnsureAsync(IReadOnlyList<FloatingNat> wanted, IReadOnlyCollection<(string Address, string Interface)> managed, string? keepSourceTo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(managed);
        if (wanted.Count == 0)
        {
            // A host without floating IPs carries no floating chains at all.
            await RemoveChainsAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            foreach (var (chain, parent) in Jumps)
            {
                await EnsureChainAsync(chain, parent, cancellationToken).ConfigureAwait(false);
            }
            await EnsureRulesAsync(DnatChain, [.. wanted.Select(DnatRule)], cancellationToken).ConfigureAwait(false);
            await EnsureRulesAsync(SnatChain, [.. wanted.Select(n => SnatRule(n, keepSourceTo))], cancellationToken).ConfigureAwait(false);
        }
        var wantedOn = wanted.Select(n => (n.FloatingAddress, n.Interface)).ToHashSet();
        foreach (var group in managed.Concat(wantedOn).Distinct().GroupBy(m => m.Interface, StringComparer.Ordinal))
        {
            var present = await AddressesOnAsync(group.Key, cancellationToken).ConfigureAwait(false);
            if (present is null)
            {
                if (group.Any(wantedOn.Contains))
                {
                    LogNoInterface(group.Key);
                }
                continue;
            }
            foreach (var (address, @interface) in group)
            {
                var here = present.Contains($"{address}/32");
                if (wantedOn.Contains((address, @interface)) && !here)
                {
                    await MustAsync(["ip", "addr", "add", $"{address}/32", "dev", @interface], cancellationToken).ConfigureAwait(false);
                }
                else if (!wantedOn.Contains((address, @interface)) && here)
                {
                    await MustAsync(["ip", "addr", "del", $"{address}/32", "dev", @interface], cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Clean-up: cloudd's floating chains and their jumps go, and <paramref name="managed"/> addresses leave their interfaces.</summary>
    public Task RemoveAsync(IReadOnlyCollection<(string Address, string Interface)> managed, CancellationToken cancellationToken) =>
        EnsureAsync([], managed, null, cancellationToken);

    private async Task RemoveChainsAsync(CancellationToken cancellationToken)
    {
        foreach (var (chain, parent) in Jumps)
        {
            if ((await commands.TryAsync(["iptables", "-t", "nat", "-C", parent, "-j", chain], cancellationToken).ConfigureAwait(false)).ExitCode == 0)
            {
                await MustAsync(["iptables", "-t", "nat", "-D", parent, "-j", chain], cancellationToken).ConfigureAwait(false);
            }
        }
        foreach (var chain in new[] { DnatChain, SnatChain })
        {
            if ((await commands.TryAsync(["iptables", "-t", "nat", "-S", chain], cancellationToken).ConfigureAwait(false)).ExitCode == 0)
            {
                await MustAsync(["iptables", "-t", "nat", "-F", chain], cancellationToken).ConfigureAwait(false);
                await MustAsync(["iptables", "-t", "nat", "-X", chain], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The chain's rules become <paramref name="wanted"/> (as <c>iptables -S</c> prints them), in any order.</summary>
    private async Task EnsureRulesAsync(string chain, IReadOnlyList<IReadOnlyList<string>> wanted, CancellationToken cancellationToken)
    {
        var listed = await MustAsync(["iptables", "-t", "nat", "-S", chain], cancellationToken).ConfigureAwait(false);
        var prefix = $"-A {chain} ";
        var present = listed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[prefix.Length..]).ToList();
        var wantedLines = wanted.Select(r => string.Join(' ', r)).ToList();
        foreach (var stale in present.Where(p => !wantedLines.Contains(p, StringComparer.Ordinal)).ToList())
        {
            await MustAsync(["iptables", "-t", "nat", "-D", chain, .. stale.Split(' ')], cancellationToken).ConfigureAwait(false);
        }
        foreach (var (line, rule) in wantedLines.Zip(wanted).DistinctBy(w => w.First))
        {
            if (!present.Contains(line, StringComparer.Ordinal))
            {
                await MustAsync(["iptables", "-t", "nat", "-A", chain, .. rule], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task EnsureChainAsync(string chain, string parent, CancellationToken cancellationToken)
    {
        if ((await commands.TryAsync(["iptables", "-t", "nat", "-S", chain], cancellationToken).ConfigureAwait(false)).ExitCode != 0)
        {
            await MustAsync(["iptables", "-t", "nat", "-N", chain], cancellationToken).ConfigureAwait(false);
        }
        if ((await commands.TryAsync(["iptables", "-t", "nat", "-C", parent, "-j", chain], cancellationToken).ConfigureAwait(false)).ExitCode != 0)
        {
            await MustAsync(["iptables", "-t", "nat", "-I", parent, "1", "-j", chain], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The IPv4 addresses (address/prefix) on the interface; null when it does not exist.</summary>
    private async Task<HashSet<string>?> AddressesOnAsync(string @interface, CancellationToken cancellationToken)
    {
        var result = await commands.TryAsync(["ip", "-o", "-4", "addr", "show", "dev", @interface], cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            return null;
        }
        // "2: eth0    inet 172.24.4.10/32 scope global eth0 ..." per address.
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => Array.IndexOf(f, "inet") is var i and >= 0 && i + 1 < f.Length ? f[i + 1] : "")
            .Where(a => a.Length > 0)];
    }

    private async Task<string> MustAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var result = await commands.TryAsync(command, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{string.Join(' ', command)}' failed with exit code {result.ExitCode}: {result.Stderr.Trim()}");
        }
        return result.Stdout;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "floating IPs on interface {Interface}: no such interface on this host, so they are not bound (their NAT rules are in place)")]
    private partial void LogNoInterface(string @interface);
}
