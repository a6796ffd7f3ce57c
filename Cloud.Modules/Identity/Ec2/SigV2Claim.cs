using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cloud.Modules.Identity.Ec2;

/// <summary>
/// A Signature Version 2 claim: <c>AWSAccessKeyId</c>, <c>SignatureVersion=2</c>, <c>SignatureMethod</c>,
/// <c>Timestamp</c> or <c>Expires</c>, and a base64 <c>Signature</c>, in the query string (GET) or the form (POST).
/// String to sign: <c>METHOD\nhost\npath\ncanonical query</c> (botocore's <c>SigV2Auth</c>).
/// </summary>
internal sealed class SigV2Claim : IEc2SignatureClaim
{
    private const string SignatureParameter = "Signature";

    private readonly Ec2Request _request;
    private readonly string _signature;
    private readonly bool _sha1;

    private SigV2Claim(Ec2Request request, string accessKey, string signature, bool sha1, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        _request = request;
        AccessKey = accessKey;
        _signature = signature;
        _sha1 = sha1;
        NotBefore = notBefore;
        NotAfter = notAfter;
    }

    public int Version => 2;

    public string AccessKey { get; }

    public DateTimeOffset NotBefore { get; }

    public DateTimeOffset NotAfter { get; }

    /// <summary>True when the parameters carry any SigV2 field, so that a half-formed SigV2 request gets a precise error.</summary>
    public static bool IsSigV2(Ec2Request request) =>
        request.GetParameter("AWSAccessKeyId") is not null || request.GetParameter("SignatureVersion") is not null
        || request.GetParameter(SignatureParameter) is not null;

    public static bool TryParse(Ec2Request request,
        [NotNullWhen(true)] out SigV2Claim? claim, [NotNullWhen(false)] out Ec2VerificationResult? failure)
    {
        claim = null;
        foreach (var name in new[] { "AWSAccessKeyId", SignatureParameter, "SignatureVersion", "SignatureMethod" })
        {
            if (string.IsNullOrEmpty(request.GetParameter(name)))
            {
                failure = Fail(Ec2ErrorCodes.MissingParameter, $"The request must contain the parameter {name}.");
                return false;
            }
        }
        var version = request.GetParameter("SignatureVersion")!;
        if (version != "2")
        {
            failure = Fail(Ec2ErrorCodes.InvalidParameterValue,
                $"SignatureVersion '{Shorten(version)}' is not supported: use 2, or Signature Version 4.");
            return false;
        }
        var method = request.GetParameter("SignatureMethod")!;
        if (method is not ("HmacSHA256" or "HmacSHA1"))
        {
            failure = Fail(Ec2ErrorCodes.InvalidParameterValue, $"SignatureMethod '{Shorten(method)}' is not supported: use HmacSHA256 or HmacSHA1.");
            return false;
        }

        var timestamp = request.GetParameter("Timestamp");
        var expires = request.GetParameter("Expires");
        if (timestamp is not null && expires is not null)
        {
            failure = Fail(Ec2ErrorCodes.InvalidParameterCombination, "The parameter Timestamp cannot be used with the parameter Expires.");
            return false;
        }
        if (timestamp is null && expires is null)
        {
            failure = Fail(Ec2ErrorCodes.MissingParameter, "The request must contain either a valid (unexpired) Timestamp or Expires parameter.");
            return false;
        }
        var (label, text) = timestamp is not null ? ("Timestamp", timestamp) : ("Expires", expires!);
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            || !Ec2SignatureVerifier.IsPlausible(at))
        {
            failure = Fail(Ec2ErrorCodes.InvalidParameterValue, $"{label} '{Shorten(text)}' is not an ISO 8601 time (2026-11-25T02:05:19Z).");
            return false;
        }

        var skew = Ec2SignatureVerifier.AllowedClockSkew;
        var (notBefore, notAfter) = timestamp is not null ? (at - skew, at + skew) : (DateTimeOffset.MinValue, at);
        claim = new SigV2Claim(request, request.GetParameter("AWSAccessKeyId")!, request.GetParameter(SignatureParameter)!,
            method == "HmacSHA1", notBefore, notAfter);
        failure = null;
        return true;
    }

    public bool Matches(string secretKey)
    {
        // Base64 has '+', which an unencoded query string turns into a space on the way in.
        var provided = new byte[_signature.Length];
        if (!Convert.TryFromBase64String(_signature.Replace(' ', '+'), provided, out var length))
        {
            return false;
        }
        var key = Encoding.UTF8.GetBytes(secretKey);
        var method = _request.Method.ToUpperInvariant();
        var path = _request.RawPath.Length == 0 ? "/" : _request.RawPath;
        var query = CanonicalQuery(_request.AllParameters);
        foreach (var host in HostForms(_request.Host.ToLowerInvariant()))
        {
            var toSign = Encoding.UTF8.GetBytes($"{method}\n{host}\n{path}\n{query}");
            var expected = _sha1 ? HMACSHA1.HashData(key, toSign) : HMACSHA256.HashData(key, toSign);
            if (CryptographicOperations.FixedTimeEquals(expected, provided.AsSpan(0, length)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Every parameter but <c>Signature</c>, sorted by name in code-point (UTF-8 byte) order, encoded, joined with <c>&amp;</c>.</summary>
    internal static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        // OrderBy is stable, so repeated names keep their wire order.
        var sorted = parameters.Where(static p => p.Key != SignatureParameter).OrderBy(static p => p.Key, CodePointComparer.Instance);
        return string.Join('&', sorted.Select(static p => $"{AwsUriEncoding.Encode(p.Key)}={AwsUriEncoding.Encode(p.Value)}"));
    }

    // botocore signs the netloc with its port; legacy tools (boto's old signer) left the port out.
    private static IEnumerable<string> HostForms(string host)
    {
        yield return host;
        var colon = host.LastIndexOf(':');
        if (colon > 0 && colon > host.LastIndexOf(']'))
        {
            yield return host[..colon];
        }
    }

    private static Ec2VerificationResult Fail(string code, string message) => Ec2VerificationResult.Failure(code, message);

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    /// <summary>Orders strings by Unicode code point, which is UTF-8 byte order (UTF-16 ordinal differs above U+E000).</summary>
    private sealed class CodePointComparer : IComparer<string>
    {
        public static readonly CodePointComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            if (x is null || y is null)
            {
                return x is null ? (y is null ? 0 : -1) : 1;
            }
            var common = Math.Min(x.Length, y.Length);
            for (var i = 0; i < common; i++)
            {
                var (a, b) = (x[i], y[i]);
                if (a == b)
                {
                    continue;
                }
                // A surrogate stands for a code point above U+FFFF, greater than any BMP character.
                if (char.IsSurrogate(a) != char.IsSurrogate(b))
                {
                    return char.IsSurrogate(a) ? 1 : -1;
                }
                return a.CompareTo(b);
            }
            return x.Length.CompareTo(y.Length);
        }
    }
}
