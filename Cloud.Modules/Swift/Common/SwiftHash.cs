using System.Security.Cryptography;
using System.Text;

namespace Cloud.Modules.Swift.Common;

/// <summary>
/// Swift's name hash (<c>swift.common.utils.hash_path</c>): MD5(prefix + "/account[/container[/object]]" + suffix).
/// It places a name on the ring and names its directory on disk. An empty container or object counts as absent.
/// </summary>
public sealed class SwiftHash(string prefix, string suffix)
{
    public static SwiftHash From(SwiftHashFlags flags) => new(flags.SwiftHashPathPrefix, flags.SwiftHashPathSuffix);

    public byte[] Digest(string account, string? container = null, string? obj = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(account);
        if (!string.IsNullOrEmpty(obj) && string.IsNullOrEmpty(container))
        {
            throw new ArgumentException("An object name needs a container name.", nameof(obj));
        }
        var path = new StringBuilder(prefix).Append('/').Append(account);
        if (!string.IsNullOrEmpty(container))
        {
            path.Append('/').Append(container);
        }
        if (!string.IsNullOrEmpty(obj))
        {
            path.Append('/').Append(obj);
        }
        path.Append(suffix);
        return MD5.HashData(Encoding.UTF8.GetBytes(path.ToString()));
    }

    /// <summary>The hash as Swift names directories: 32 lower-case hex digits.</summary>
    public string Hex(string account, string? container = null, string? obj = null) =>
        Convert.ToHexString(Digest(account, container, obj)).ToLowerInvariant();
}
