namespace Cloud.Modules.Network.Drivers;

/// <summary>One bridge's dnsmasq files under <c>$state_path/networks</c>.</summary>
/// <param name="HostsFile">MAC,hostname,IP lines (<c>--dhcp-hostsfile</c>).</param>
/// <param name="LeaseFile">dnsmasq's leases.</param>
/// <param name="PidFile">dnsmasq's pid file.</param>
/// <param name="LogFile">dnsmasq's log (<c>--log-facility</c>).</param>
public sealed record DnsmasqFiles(string HostsFile, string LeaseFile, string PidFile, string LogFile)
{
    public static DnsmasqFiles For(string networksDirectory, string bridge) => new(
        Path.Combine(networksDirectory, $"{bridge}.hosts"), Path.Combine(networksDirectory, $"{bridge}.leases"),
        Path.Combine(networksDirectory, $"{bridge}.pid"), Path.Combine(networksDirectory, $"{bridge}.log"));
}
