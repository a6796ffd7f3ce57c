using System.Security.Cryptography;
using System.Text;

namespace Cloud.Modules.Identity.Ec2;

/// <summary>
/// AWS Signature Version 4, byte for byte as botocore builds it for non-S3 services: canonical request, string to
/// sign, signing key. Shared by the verifier and <see cref="Ec2RequestSigner"/>.
/// </summary>
internal static class SigV4Canonicalizer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string Terminator = "aws4_request";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    public const string SignatureParameter = "X-Amz-Signature";
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>
    /// The path with dot segments and empty segments removed (botocore's <c>remove_dot_segments</c>, which AWS
    /// requires for non-S3 services), then percent-encoded again: a <c>%</c> already on the wire becomes <c>%25</c>.
    /// </summary>
    public static string CanonicalUri(string rawPath)
    {
        if (rawPath.Length == 0)
        {
            return "/";
        }
        var segments = new List<string>();
        foreach (var segment in rawPath.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }
            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }
                continue;
            }
            segments.Add(segment);
        }
        var first = rawPath[0] == '/' ? "/" : "";
        var last = rawPath[^1] == '/' && segments.Count > 0 ? "/" : "";
        return AwsUriEncoding.Encode(first + string.Join('/', segments) + last, keepSlash: true);
    }

    /// <summary>Each name and value encoded, sorted by encoded name then encoded value, joined <c>n=v&amp;…</c>.</summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> parameters, string? skipName = null)
    {
        var encoded = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in parameters)
        {
            if (skipName is null || !string.Equals(name, skipName, StringComparison.Ordinal))
            {
                encoded.Add(new(AwsUriEncoding.Encode(name), AwsUriEncoding.Encode(value)));
            }
        }
        // Encoded text is ASCII, so ordinal order is the byte order AWS specifies.
        encoded.Sort(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Key, b.Key);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });
        var builder = new StringBuilder();
        foreach (var (name, value) in encoded)
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }
            builder.Append(name).Append('=').Append(value);
        }
        return builder.ToString();
    }

    /// <summary>
    /// The canonical request up to and including its <c>\n</c> before the payload hash: the only part that
    /// differs between payload-hash candidates is the tail.
    /// </summary>
    public static string CanonicalRequestPrefix(Ec2Request request, IReadOnlyList<string> signedHeaderNames, string signedHeaders, bool presigned)
    {
        var builder = new StringBuilder(256);
        builder.Append(request.Method.ToUpperInvariant()).Append('\n');
        builder.Append(CanonicalUri(request.RawPath)).Append('\n');
        builder.Append(CanonicalQuery(request.QueryParameters, presigned ? SignatureParameter : null)).Append('\n');
        foreach (var name in signedHeaderNames)
        {
            builder.Append(name).Append(':');
            AppendHeaderValue(builder, request, name);
            builder.Append('\n');
        }
        builder.Append('\n').Append(signedHeaders).Append('\n');
        return builder.ToString();
    }

    /// <summary>The whole canonical request (tests print and compare it).</summary>
    public static string CanonicalRequest(Ec2Request request, string signedHeaders, string payloadHash, bool presigned = false) =>
        CanonicalRequestPrefix(request, SplitSignedHeaders(signedHeaders), signedHeaders, presigned) + payloadHash;

    /// <summary><c>host;x-amz-date</c> → <c>["host", "x-amz-date"]</c>, lower-cased for lookup.</summary>
    public static string[] SplitSignedHeaders(string signedHeaders) =>
        signedHeaders.Split(';').Select(static h => h.Trim().ToLowerInvariant()).ToArray();

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{HashHex(Encoding.UTF8.GetBytes(canonicalRequest))}";

    public static byte[] SigningKey(string secretKey, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Terminator));
    }

    /// <summary>Lower-case hex HMAC-SHA256 of the string to sign.</summary>
    public static string Sign(byte[] signingKey, string stringToSign) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));

    public static string HashHex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static void AppendHeaderValue(StringBuilder builder, Ec2Request request, string name)
    {
        if (!request.Headers.TryGetValue(name, out var values) || values.Count == 0)
        {
            // Only Host can be known without its header line (HTTP/2 :authority); any other absent header
            // signs as empty and the signature fails, as it must.
            values = name == "host" ? [request.Host] : [];
        }
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }
            AppendFolded(builder, values[i]);
        }
    }

    /// <summary>Trims and folds whitespace runs to one space, as Python's <c>' '.join(value.split())</c>.</summary>
    private static void AppendFolded(StringBuilder builder, string value)
    {
        var pendingSpace = false;
        var any = false;
        foreach (var c in value)
        {
            if (IsPythonWhitespace(c))
            {
                pendingSpace = any;
                continue;
            }
            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }
            builder.Append(c);
            any = true;
        }
    }

    private static bool IsPythonWhitespace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';
}
