using System.Net;

namespace Cloud.Modules.Kernel.Http;

/// <summary>What a listen address flag (<c>0.0.0.0</c>, <c>::</c>, an IP, a name) means for who can reach the server.</summary>
public static class ListenAddress
{
    /// <summary>Whether <paramref name="address"/> listens on every interface: empty, <c>*</c>, <c>+</c>, <c>0.0.0.0</c> or <c>::</c> (brackets allowed).</summary>
    public static bool IsEveryInterface(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bare = address.Trim().Trim('[', ']');
        return bare is "" or "*" or "+"
            || (IPAddress.TryParse(bare, out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)));
    }

    /// <summary>The host a client on this machine uses to reach <paramref name="address"/>, as it goes in a URL: loopback for every interface, IPv6 in brackets.</summary>
    public static string ClientHost(string address)
    {
        var bare = IsEveryInterface(address) ? "127.0.0.1" : address.Trim().Trim('[', ']');
        return bare.Contains(':', StringComparison.Ordinal) ? $"[{bare}]" : bare;
    }
}
