using System.Security.Cryptography;
using System.Text;

namespace Cloud.Modules.Swift.Proxy.Middleware.TempUrl;

/// <summary>
/// Swift's signatures of temporary URLs and form posts (swift.common.digest): an HMAC of the request's terms with a
/// temp URL key, given either in hex (sha1, sha256 or sha512 told apart by length) or as <c>&lt;digest&gt;:&lt;base64&gt;</c>.
/// </summary>
public static class TempUrlSignature
{
    /// <summary>The digests swift 2.30 accepts by default, sorted (its /info allowed_digests).</summary>
    public static readonly string[] AllowedDigests = ["sha1", "sha256", "sha512"];

    /// <summary>The ones it still accepts but warns about (its /info deprecated_digests).</summary>
    public static readonly string[] DeprecatedDigests = ["sha1"];

    /// <summary>The digest and the lower-case hex signature a client sent, or null when it is no signature swift reads.</summary>
    public static (string Digest, string Hex)? Parse(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            var digest = value[..colon];
            var encoded = value[(colon + 1)..];
            if ((encoded.Contains('-') || encoded.Contains('_')) && !(encoded.Contains('+') || encoded.Contains('/')))
            {
                encoded = encoded.Replace('-', '+').Replace('_', '/');
            }
            encoded = encoded.TrimEnd('=');
            encoded += new string('=', (4 - encoded.Length % 4) % 4);
            var bytes = new byte[encoded.Length];
            return Convert.TryFromBase64String(encoded, bytes, out var written)
                ? (digest, Convert.ToHexString(bytes, 0, written).ToLowerInvariant())
                : null;
        }
        if (value.Length % 2 != 0 || !value.All(Uri.IsHexDigit))
        {
            return null;
        }
        return value.Length switch
        {
            40 => ("sha1", value.ToLowerInvariant()),
            64 => ("sha256", value.ToLowerInvariant()),
            128 => ("sha512", value.ToLowerInvariant()),
            _ => null,
        };
    }

    /// <summary>The hex HMAC of <paramref name="message"/> with <paramref name="key"/> under <paramref name="digest"/>.</summary>
    public static string Hmac(string digest, string key, string message)
    {
        var (k, m) = (Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(message));
        var mac = digest switch
        {
            "sha1" => HMACSHA1.HashData(k, m),
            "sha256" => HMACSHA256.HashData(k, m),
            "sha512" => HMACSHA512.HashData(k, m),
            _ => throw new ArgumentOutOfRangeException(nameof(digest), digest, "not an allowed digest"),
        };
        return Convert.ToHexString(mac).ToLowerInvariant();
    }

    /// <summary>Compares two signatures in constant time, so a wrong one tells nothing about the right one.</summary>
    public static bool Same(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(given), Encoding.ASCII.GetBytes(expected));
}
