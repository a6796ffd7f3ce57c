using System.Text;

namespace Cloud.Modules.Compute;

/// <summary>
/// An instance's host name, one DNS label (RFC 952/1123) made from its display name as nova's sanitize_hostname
/// does: lower case, spaces, underscores and dots become hyphens, anything else outside [a-z0-9-] is dropped, at
/// most 63 characters, no hyphen at either end. A name with nothing left falls back to the seed's
/// <c>instance-%08x</c>, the libvirt domain name operators already see. The metadata service and the DHCP host
/// entries both use it, so a guest's DHCP name and its metadata hostname agree.
/// </summary>
public static class InstanceHostname
{
    /// <summary>The longest DNS label.</summary>
    public const int MaxLength = 63;

    public static string Of(Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return Of(instance.DisplayName, instance.Id);
    }

    /// <param name="displayName">The instance's display name (may be empty).</param>
    /// <param name="id">The instance's database id, for the fallback <c>instance-%08x</c>.</param>
    public static string Of(string? displayName, long id)
    {
        var label = new StringBuilder();
        foreach (var c in (displayName ?? "").ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
            {
                label.Append(c);
            }
            else if (c is ' ' or '_' or '.')
            {
                label.Append('-');
            }
        }
        var name = label.ToString();
        name = (name.Length > MaxLength ? name[..MaxLength] : name).Trim('-');
        return name.Length > 0 ? name : Instance.NameOf(id);
    }

    /// <summary>The host name in the DHCP domain (<c>--dhcp_domain</c>), as guests are told it; the bare label without a domain.</summary>
    public static string Qualified(Instance instance, string? dhcpDomain) =>
        string.IsNullOrEmpty(dhcpDomain) ? Of(instance) : $"{Of(instance)}.{dhcpDomain}";
}
