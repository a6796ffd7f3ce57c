using System.Collections.Concurrent;
using System.Globalization;
using Cloud.Modules.Kernel.Host;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Network.Drivers;

/// <summary>
/// Every host change of flat networking (nova's linux_net): bridges, dnsmasq, the metadata DNAT, forwarding and SNAT.
/// Each <c>Ensure*</c> is idempotent (it checks before it changes), and each has its clean-up. NAT rules live in
/// cloudd's own chains (<c>cloudd-PREROUTING</c>, <c>cloudd-POSTROUTING</c>), jumped to from the built-in ones, so
/// clean-up flushes only what cloudd added. A driver: it never touches the database.
/// </summary>
public sealed partial class LinuxNetDriver(CommandRunner run, ILogger<LinuxNetDriver> log) : IDisposable
{
    public const string MetadataAddress = "169.254.169.254";
    public const string PreroutingChain = "cloudd-PREROUTING";
    public const string PostroutingChain = "cloudd-POSTROUTING";

    private readonly ConcurrentDictionary<string, DnsmasqProcess> _dnsmasq = new();
    private readonly SemaphoreSlim _bridgeGate = new(1, 1);

    /// <summary>
    /// The bridge exists and is up; <paramref name="bridgeInterface"/> (if any) is enslaved to it and up;
    /// <paramref name="addressCidr"/> (the gateway, on the network host only) is on it, e.g. 10.0.0.1/24.
    /// </summary>
    public async Task EnsureBridgeAsync(string bridge, string? bridgeInterface, string? addressCidr, CancellationToken cancellationToken)
    {
        // Instances spawning at once on one host ensure the same bridge: one at a time here, and a bridge another
        // process (the network role beside the compute role) created between the check and the add is as good as ours.
        await _bridgeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureBridgeOnceAsync(bridge, bridgeInterface, addressCidr, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _bridgeGate.Release();
        }
    }

    private async Task EnsureBridgeOnceAsync(string bridge, string? bridgeInterface, string? addressCidr, CancellationToken cancellationToken)
    {
        if (!await LinkExistsAsync(bridge, cancellationToken).ConfigureAwait(false)
            && (await run.TryAsync(["ip", "link", "add", "name", bridge, "type", "bridge"], cancellationToken).ConfigureAwait(false)) is { ExitCode: not 0 } failed
            && !await LinkExistsAsync(bridge, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"Cannot create bridge {bridge}: {failed.Stderr.Trim()}");
        }
        await run.RunAsync(["ip", "link", "set", "dev", bridge, "up"], cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(bridgeInterface))
        {
            if (!await LinkExistsAsync(bridgeInterface, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"--flat_interface={bridgeInterface}: no such interface on this host, so bridge {bridge} cannot reach the other hosts");
            }
            await run.RunAsync(["ip", "link", "set", "dev", bridgeInterface, "master", bridge], cancellationToken).ConfigureAwait(false);
            await run.RunAsync(["ip", "link", "set", "dev", bridgeInterface, "up"], cancellationToken).ConfigureAwait(false);
        }
        if (addressCidr is not null)
        {
            var addresses = await run.RunAsync(["ip", "-o", "-4", "addr", "show", "dev", bridge], cancellationToken).ConfigureAwait(false);
            if (!addresses.Contains($" {addressCidr} ", StringComparison.Ordinal))
            {
                await run.RunAsync(["ip", "addr", "add", addressCidr, "brd", "+", "dev", bridge], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Deletes the bridge (its enslaved interface is released, not deleted).</summary>
    public async Task RemoveBridgeAsync(string bridge, CancellationToken cancellationToken)
    {
        if (await LinkExistsAsync(bridge, cancellationToken).ConfigureAwait(false))
        {
            await run.RunAsync(["ip", "link", "del", "dev", bridge], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// dnsmasq serves static DHCP on the bridge from <paramref name="files"/>' hosts file: started if it is not running
    /// (a stale one left by an earlier role on this bridge is stopped first), restarted with new settings, otherwise untouched.
    /// </summary>
    public void EnsureDnsmasq(DhcpSettings settings, DnsmasqFiles files)
    {
        var command = DnsmasqCommand(settings, files);
        if (_dnsmasq.TryGetValue(settings.Bridge, out var running) && running.Command.SequenceEqual(command))
        {
            running.Start();
            return;
        }
        StopDnsmasq(settings.Bridge);
        StopStale(files.PidFile);
        if (!File.Exists(files.HostsFile))
        {
            File.WriteAllText(files.HostsFile, "");
        }
        var process = new DnsmasqProcess(run, command, settings.Bridge, log);
        _dnsmasq[settings.Bridge] = process;
        process.Start();
    }

    /// <summary>Rewrites the hosts file (MAC,hostname,IP per line) and HUPs the bridge's dnsmasq so it re-reads it.</summary>
    public void WriteDhcpHosts(string bridge, DnsmasqFiles files, IEnumerable<DhcpHost> hosts)
    {
        var temp = files.HostsFile + ".tmp";
        File.WriteAllLines(temp, hosts.Select(h => $"{h.Mac},{h.Hostname},{h.Address}"));
        File.Move(temp, files.HostsFile, overwrite: true);
        if (_dnsmasq.TryGetValue(bridge, out var process))
        {
            process.Reload();
        }
    }

    /// <summary>The pid of the bridge's dnsmasq, or null when none runs.</summary>
    public int? DnsmasqPid(string bridge) => _dnsmasq.TryGetValue(bridge, out var p) ? p.Pid : null;

    public void StopDnsmasq(string bridge)
    {
        if (_dnsmasq.TryRemove(bridge, out var process))
        {
            process.Dispose();
        }
    }

    /// <summary>Ends the lease at once (dnsmasq-utils' dhcp_release), so the address is free for the next instance.</summary>
    public async Task ReleaseLeaseAsync(string bridge, string address, string mac, CancellationToken cancellationToken) =>
        await run.RunAsync(["dhcp_release", bridge, address, mac], cancellationToken).ConfigureAwait(false);

    /// <summary>Guests' 169.254.169.254:80 is DNATed to the metadata service, in cloudd's own PREROUTING chain.</summary>
    public async Task EnsureMetadataForwardAsync(string metadataHost, int metadataPort, CancellationToken cancellationToken)
    {
        await EnsureChainAsync(PreroutingChain, "PREROUTING", cancellationToken).ConfigureAwait(false);
        await EnsureRuleAsync(PreroutingChain,
            ["-d", $"{MetadataAddress}/32", "-p", "tcp", "-m", "tcp", "--dport", "80", "-j", "DNAT", "--to-destination", $"{metadataHost}:{metadataPort.ToString(CultureInfo.InvariantCulture)}"],
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Guests reach beyond the host: forwarding on, and their addresses masqueraded out of <paramref name="publicInterface"/>
    /// when it exists. As nova's linux_net, two kinds of traffic keep the guest's address and are accepted before the
    /// MASQUERADE: to <paramref name="metadataHost"/> (the metadata service knows a guest by its source address, so
    /// behind SNAT every guest would get 404 when the service sits on the public side), and from the fixed range to
    /// itself (guests on other hosts), unless it was DNATed.
    /// </summary>
    /// <returns>False when the public interface does not exist on this host (no SNAT rule added).</returns>
    public async Task<bool> EnsureForwardingAsync(string fixedRange, string publicInterface, string metadataHost, CancellationToken cancellationToken)
    {
        await run.RunAsync(["sysctl", "-w", "net.ipv4.ip_forward=1"], cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(publicInterface) || !await LinkExistsAsync(publicInterface, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        await EnsureChainAsync(PostroutingChain, "POSTROUTING", cancellationToken).ConfigureAwait(false);
        // Exemptions go to the head of the chain, so they precede a MASQUERADE added earlier (by an older cloudd too).
        await EnsureFirstRuleAsync(PostroutingChain, ["-s", fixedRange, "-d", fixedRange, "-m", "conntrack", "!", "--ctstate", "DNAT", "-j", "ACCEPT"], cancellationToken).ConfigureAwait(false);
        await EnsureFirstRuleAsync(PostroutingChain, ["-s", fixedRange, "-d", $"{metadataHost}/32", "-j", "ACCEPT"], cancellationToken).ConfigureAwait(false);
        await EnsureRuleAsync(PostroutingChain, ["-s", fixedRange, "-o", publicInterface, "-j", "MASQUERADE"], cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Removes cloudd's NAT chains (metadata DNAT, SNAT) and the jumps to them; other rules are untouched.</summary>
    public async Task RemoveNatAsync(CancellationToken cancellationToken)
    {
        foreach (var (chain, parent) in new[] { (PreroutingChain, "PREROUTING"), (PostroutingChain, "POSTROUTING") })
        {
            while ((await run.TryAsync(["iptables", "-t", "nat", "-D", parent, "-j", chain], cancellationToken).ConfigureAwait(false)).ExitCode == 0)
            {
            }
            if (await ChainExistsAsync(chain, cancellationToken).ConfigureAwait(false))
            {
                await run.RunAsync(["iptables", "-t", "nat", "-F", chain], cancellationToken).ConfigureAwait(false);
                await run.RunAsync(["iptables", "-t", "nat", "-X", chain], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops every dnsmasq this driver started.</summary>
    public void Dispose()
    {
        foreach (var bridge in _dnsmasq.Keys.ToList())
        {
            StopDnsmasq(bridge);
        }
    }

    /// <summary>The dnsmasq command line for a network (the flags nova's linux_net used, static ranges only).</summary>
    public static IReadOnlyList<string> DnsmasqCommand(DhcpSettings s, DnsmasqFiles f)
    {
        var command = new List<string>
        {
            "dnsmasq", "--keep-in-foreground", "--conf-file=", "--strict-order", "--bind-interfaces", $"--interface={s.Bridge}", "--except-interface=lo",
            $"--listen-address={s.Gateway}", $"--dhcp-range=set:{s.Bridge},{s.DhcpStart},static,{s.Netmask},120s",
            $"--dhcp-hostsfile={f.HostsFile}", $"--dhcp-leasefile={f.LeaseFile}", $"--domain={s.Domain}",
            $"--dhcp-option=option:router,{s.Gateway}",
            $"--pid-file={f.PidFile}", $"--log-facility={f.LogFile}", "--log-dhcp", "--no-resolv", "--no-hosts", "--port=0",
        };
        if (!string.IsNullOrEmpty(s.Dns))
        {
            command.Add($"--dhcp-option=option:dns-server,{s.Dns}");
        }
        return DhcpBridgeScript.WithLeaseScript(command, s);
    }

    internal void StopStale(string pidFile)
    {
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }
        var cmdline = $"/proc/{pid}/cmdline";
        if (File.Exists(cmdline) && File.ReadAllText(cmdline).Contains(pidFile, StringComparison.Ordinal))
        {
            LogStale(pid, pidFile);
            using var stale = System.Diagnostics.Process.GetProcessById(pid);
            stale.Kill();
            stale.WaitForExit(TimeSpan.FromSeconds(10));
        }
    }

    private async Task<bool> LinkExistsAsync(string name, CancellationToken cancellationToken) =>
        (await run.TryAsync(["ip", "link", "show", "dev", name], cancellationToken).ConfigureAwait(false)).ExitCode == 0;

    private async Task<bool> ChainExistsAsync(string chain, CancellationToken cancellationToken) =>
        (await run.TryAsync(["iptables", "-t", "nat", "-S", chain], cancellationToken).ConfigureAwait(false)).ExitCode == 0;

    private async Task EnsureChainAsync(string chain, string parent, CancellationToken cancellationToken)
    {
        if (!await ChainExistsAsync(chain, cancellationToken).ConfigureAwait(false))
        {
            await run.RunAsync(["iptables", "-t", "nat", "-N", chain], cancellationToken).ConfigureAwait(false);
        }
        if ((await run.TryAsync(["iptables", "-t", "nat", "-C", parent, "-j", chain], cancellationToken).ConfigureAwait(false)).ExitCode != 0)
        {
            await run.RunAsync(["iptables", "-t", "nat", "-I", parent, "1", "-j", chain], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Appends the rule to the chain unless it is there.</summary>
    private Task EnsureRuleAsync(string chain, IReadOnlyList<string> rule, CancellationToken cancellationToken) =>
        EnsureRuleAsync(chain, ["-A", chain], rule, cancellationToken);

    /// <summary>Inserts the rule at the head of the chain unless it is there (anywhere).</summary>
    private Task EnsureFirstRuleAsync(string chain, IReadOnlyList<string> rule, CancellationToken cancellationToken) =>
        EnsureRuleAsync(chain, ["-I", chain, "1"], rule, cancellationToken);

    private async Task EnsureRuleAsync(string chain, IReadOnlyList<string> add, IReadOnlyList<string> rule, CancellationToken cancellationToken)
    {
        if ((await run.TryAsync(["iptables", "-t", "nat", "-C", chain, .. rule], cancellationToken).ConfigureAwait(false)).ExitCode != 0)
        {
            await run.RunAsync(["iptables", "-t", "nat", .. add, .. rule], cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "stopping a stale dnsmasq (pid {Pid}) that still uses {PidFile}")]
    private partial void LogStale(int pid, string pidFile);
}
