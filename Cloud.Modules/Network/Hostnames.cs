using System.Text;

namespace Cloud.Modules.Network;

/// <summary>The hostname DHCP hands an instance, as nova's <c>sanitize_hostname</c> derives it from the display name.</summary>
public static class Hostnames
{
    /// <summary>
    /// Lower case; spaces and underscores become '-'; anything but a-z, 0-9, '.' and '-' is dropped; leading and trailing
    /// '.' and '-' are trimmed; at most 63 characters. An empty result falls back to <paramref name="fallback"/>
    /// (the domain name, <c>instance-%08x</c>, which is also what <c>virsh list</c> shows).
    /// </summary>
    public static string Sanitize(string? displayName, string fallback)
    {
        var name = new StringBuilder();
        foreach (var c in (displayName ?? "").ToLowerInvariant())
        {
            if (c is ' ' or '_')
            {
                name.Append('-');
            }
            else if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-')
            {
                name.Append(c);
            }
        }
        var text = name.ToString().Trim('.', '-');
        if (text.Length > 63)
        {
            text = text[..63].TrimEnd('.', '-');
        }
        return text.Length == 0 ? fallback : text;
    }
}
