using Cloud.Modules.Kernel;

namespace Cloud.Modules.Glance.Stores;

/// <summary>
/// Where an image lives in Swift, written as glance writes it but without credentials:
/// <c>swift+http://&lt;account&gt;/&lt;container&gt;/&lt;object&gt;</c> (<c>swift+https</c> for a TLS endpoint). The store
/// knows its user and key from its flags. Older glance locations (<c>swift+http://user:key@host/v1/container/object</c>)
/// are read by their last two path parts; their <see cref="Account"/> is null.
/// </summary>
public sealed record SwiftLocation(string Scheme, string? Account, string Container, string Object)
{
    public override string ToString() =>
        $"{Scheme}://{Uri.EscapeDataString(Account ?? "")}/{Uri.EscapeDataString(Container)}/{Uri.EscapeDataString(Object)}";

    /// <summary>Reads a location; anything that is not a swift location with a container and an object is Invalid.</summary>
    public static SwiftLocation Parse(string location)
    {
        var separator = location.IndexOf("://", StringComparison.Ordinal);
        var scheme = separator < 0 ? "" : location[..separator];
        if (scheme is not ("swift" or "swift+http" or "swift+https" or "swift+config"))
        {
            throw CloudException.Invalid($"'{location}' is not a swift image location");
        }
        var rest = location[(separator + 3)..];
        var at = rest.LastIndexOf('@');
        var parts = rest[(at + 1)..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3)
        {
            throw CloudException.Invalid($"swift image location '{location}' lacks a container or an object");
        }
        var account = at < 0 && parts.Length == 3 ? Uri.UnescapeDataString(parts[0]) : null;
        return new SwiftLocation(scheme, account, Uri.UnescapeDataString(parts[^2]), Uri.UnescapeDataString(parts[^1]));
    }
}
