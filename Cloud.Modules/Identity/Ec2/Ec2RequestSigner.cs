using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cloud.Modules.Identity.Ec2;

/// <summary>
/// Signs requests the way botocore does, for benchmarks and tests: the server itself never signs. Real-client
/// tests check the verifier against awscli and boto3 independently of this code.
/// </summary>
internal static class Ec2RequestSigner
{
    public const string AwscliSignedHeaders = "content-type;host;x-amz-date";

    /// <summary>Adds <c>X-Amz-Date</c> and an <c>Authorization</c> header (header-form SigV4).</summary>
    public static Ec2Request SignV4(Ec2Request request, string accessKey, string secretKey, string region, string service,
        DateTimeOffset at, string signedHeaders = AwscliSignedHeaders)
    {
        var amzDate = at.UtcDateTime.ToString(SigV4Canonicalizer.DateFormat, CultureInfo.InvariantCulture);
        var dated = WithHeader(request, "X-Amz-Date", amzDate);
        var scope = $"{amzDate[..8]}/{region}/{service}/{SigV4Canonicalizer.Terminator}";
        var canonical = SigV4Canonicalizer.CanonicalRequest(dated, signedHeaders, SigV4Canonicalizer.HashHex(dated.Body.Span));
        var signature = SigV4Canonicalizer.Sign(SigV4Canonicalizer.SigningKey(secretKey, amzDate[..8], region, service),
            SigV4Canonicalizer.StringToSign(amzDate, scope, canonical));
        return WithHeader(dated, "Authorization",
            $"{SigV4Canonicalizer.Algorithm} Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    /// <summary>Adds the presigned <c>X-Amz-*</c> query parameters, signing only <c>host</c>.</summary>
    public static Ec2Request PresignV4(Ec2Request request, string accessKey, string secretKey, string region, string service,
        DateTimeOffset at, int expiresSeconds)
    {
        var amzDate = at.UtcDateTime.ToString(SigV4Canonicalizer.DateFormat, CultureInfo.InvariantCulture);
        var scope = $"{amzDate[..8]}/{region}/{service}/{SigV4Canonicalizer.Terminator}";
        var query = request.QueryParameters.Concat(
        [
            new("X-Amz-Algorithm", SigV4Canonicalizer.Algorithm),
            new("X-Amz-Credential", $"{accessKey}/{scope}"),
            new("X-Amz-Date", amzDate),
            new("X-Amz-Expires", expiresSeconds.ToString(CultureInfo.InvariantCulture)),
            new KeyValuePair<string, string>("X-Amz-SignedHeaders", "host"),
        ]).ToList();
        var unsigned = request with { QueryParameters = query };
        var canonical = SigV4Canonicalizer.CanonicalRequest(unsigned, "host", SigV4Canonicalizer.HashHex(request.Body.Span), presigned: true);
        var signature = SigV4Canonicalizer.Sign(SigV4Canonicalizer.SigningKey(secretKey, amzDate[..8], region, service),
            SigV4Canonicalizer.StringToSign(amzDate, scope, canonical));
        query.Add(new(SigV4Canonicalizer.SignatureParameter, signature));
        return unsigned with { QueryParameters = query };
    }

    /// <summary>Adds SigV2 parameters (with <c>Timestamp</c>) to the form when the request has one, else to the query.</summary>
    public static Ec2Request SignV2(Ec2Request request, string accessKey, string secretKey, DateTimeOffset at, bool sha1 = false)
    {
        KeyValuePair<string, string>[] auth =
        [
            new("AWSAccessKeyId", accessKey),
            new("SignatureVersion", "2"),
            new("SignatureMethod", sha1 ? "HmacSHA1" : "HmacSHA256"),
            new("Timestamp", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
        ];
        var inForm = request.FormParameters.Count > 0;
        var unsigned = inForm
            ? request with { FormParameters = request.FormParameters.Concat(auth).ToList() }
            : request with { QueryParameters = request.QueryParameters.Concat(auth).ToList() };
        var path = unsigned.RawPath.Length == 0 ? "/" : unsigned.RawPath;
        var toSign = Encoding.UTF8.GetBytes(
            $"{unsigned.Method.ToUpperInvariant()}\n{unsigned.Host.ToLowerInvariant()}\n{path}\n{SigV2Claim.CanonicalQuery(unsigned.AllParameters)}");
        var key = Encoding.UTF8.GetBytes(secretKey);
        var signature = Convert.ToBase64String(sha1 ? HMACSHA1.HashData(key, toSign) : HMACSHA256.HashData(key, toSign));
        KeyValuePair<string, string> signed = new("Signature", signature);
        return inForm
            ? WithForm(unsigned, unsigned.FormParameters.Append(signed).ToList())
            : unsigned with { QueryParameters = unsigned.QueryParameters.Append(signed).ToList() };
    }

    /// <summary>The request with one header set (replacing earlier values).</summary>
    public static Ec2Request WithHeader(Ec2Request request, string name, string value)
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>(request.Headers, StringComparer.OrdinalIgnoreCase) { [name] = [value] };
        return request with { Headers = headers };
    }

    /// <summary>The request with a new form, its body re-encoded to match.</summary>
    public static Ec2Request WithForm(Ec2Request request, IReadOnlyList<KeyValuePair<string, string>> form)
    {
        var body = string.Join('&', form.Select(static p => $"{AwsUriEncoding.Encode(p.Key)}={AwsUriEncoding.Encode(p.Value)}"));
        return request with { FormParameters = form, Body = Encoding.UTF8.GetBytes(body) };
    }
}
