using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cloud.Modules.Identity.Ec2;

/// <summary>
/// A Signature Version 4 claim, from the <c>Authorization</c> header or from <c>X-Amz-*</c> query parameters
/// (presigned). Region and service are taken from the client's credential scope and never checked: awscli signs
/// with whatever region it is configured with (<c>nova</c>), boto2 derives <c>0</c>/<c>127</c> from 127.0.0.1.
/// </summary>
internal sealed class SigV4Claim : IEc2SignatureClaim
{
    private const int MaxPresignSeconds = 7 * 24 * 3600;

    private readonly Ec2Request _request;
    private readonly string _date;
    private readonly string _region;
    private readonly string _service;
    private readonly string _amzDate;
    private readonly string _signedHeaders;
    private readonly string[] _signedHeaderNames;
    private readonly string _signature;
    private readonly string[] _payloadHashes;
    private readonly bool _presigned;

    private SigV4Claim(Ec2Request request, Credential credential, string amzDate, DateTimeOffset signedAt, TimeSpan validFor,
        string signedHeaders, string[] signedHeaderNames, string signature, string[] payloadHashes, bool presigned)
    {
        _request = request;
        AccessKey = credential.AccessKey;
        _date = credential.Date;
        _region = credential.Region;
        _service = credential.Service;
        _amzDate = amzDate;
        NotBefore = signedAt - Ec2SignatureVerifier.AllowedClockSkew;
        NotAfter = signedAt + validFor;
        _signedHeaders = signedHeaders;
        _signedHeaderNames = signedHeaderNames;
        _signature = signature;
        _payloadHashes = payloadHashes;
        _presigned = presigned;
    }

    public int Version => 4;

    public string AccessKey { get; }

    public DateTimeOffset NotBefore { get; }

    public DateTimeOffset NotAfter { get; }

    /// <summary>Parses <c>AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…</c> (<c>,</c> or <c>, </c> between parts).</summary>
    public static bool TryParseHeader(Ec2Request request, string authorization,
        [NotNullWhen(true)] out SigV4Claim? claim, [NotNullWhen(false)] out Ec2VerificationResult? failure)
    {
        claim = null;
        var space = authorization.IndexOfAny([' ', '\t']);
        var algorithm = space < 0 ? authorization : authorization[..space];
        if (algorithm != SigV4Canonicalizer.Algorithm)
        {
            failure = Fail(Ec2ErrorCodes.InvalidParameterValue, $"Unsupported signature algorithm '{Shorten(algorithm)}': use {SigV4Canonicalizer.Algorithm}.");
            return false;
        }

        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var piece in space < 0 ? Array.Empty<string>() : authorization[(space + 1)..].Split(','))
        {
            var part = piece.Trim();
            if (part.Length == 0)
            {
                continue;
            }
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                failure = Fail(Ec2ErrorCodes.IncompleteSignature, $"Authorization header part '{Shorten(part)}' is not of the form name=value.");
                return false;
            }
            if (!parts.TryAdd(part[..equals], part[(equals + 1)..]))
            {
                failure = Fail(Ec2ErrorCodes.IncompleteSignature, $"Authorization header repeats '{Shorten(part[..equals])}'.");
                return false;
            }
        }
        var missing = new[] { "Credential", "SignedHeaders", "Signature" }.Where(p => !parts.TryGetValue(p, out var v) || v.Length == 0).ToList();
        if (missing.Count > 0)
        {
            failure = Fail(Ec2ErrorCodes.IncompleteSignature,
                string.Join(' ', missing.Select(p => $"Authorization header requires '{p}' parameter.")));
            return false;
        }

        string amzDate;
        var amzDateHeader = request.GetHeader("x-amz-date");
        if (amzDateHeader is not null)
        {
            amzDate = amzDateHeader.Trim();
        }
        else if (request.GetHeader("date") is { } dateHeader
            && DateTimeOffset.TryParseExact(dateHeader.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var httpDate))
        {
            amzDate = httpDate.UtcDateTime.ToString(SigV4Canonicalizer.DateFormat, CultureInfo.InvariantCulture);
        }
        else
        {
            failure = Fail(Ec2ErrorCodes.IncompleteSignature,
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header (an RFC 1123 date).");
            return false;
        }

        return TryBuild(request, parts["Credential"], amzDate, expires: null, parts["SignedHeaders"], parts["Signature"], presigned: false, out claim, out failure);
    }

    /// <summary>True when the query string carries presigned SigV4 parameters.</summary>
    public static bool IsPresigned(Ec2Request request) =>
        request.QueryParameters.Any(static p => p.Key is "X-Amz-Algorithm" or "X-Amz-Signature" or "X-Amz-Credential");

    /// <summary>Parses <c>X-Amz-Algorithm</c>, <c>X-Amz-Credential</c>, <c>X-Amz-Date</c>, <c>X-Amz-SignedHeaders</c>, <c>X-Amz-Signature</c>, <c>X-Amz-Expires</c>.</summary>
    public static bool TryParseQuery(Ec2Request request,
        [NotNullWhen(true)] out SigV4Claim? claim, [NotNullWhen(false)] out Ec2VerificationResult? failure)
    {
        claim = null;
        string? Query(string name) => request.QueryParameters.FirstOrDefault(p => p.Key == name).Value;

        var algorithm = Query("X-Amz-Algorithm");
        if (algorithm is null)
        {
            failure = Fail(Ec2ErrorCodes.MissingParameter, "The request must contain the parameter X-Amz-Algorithm.");
            return false;
        }
        if (algorithm != SigV4Canonicalizer.Algorithm)
        {
            failure = Fail(Ec2ErrorCodes.InvalidParameterValue, $"Unsupported X-Amz-Algorithm '{Shorten(algorithm)}': use {SigV4Canonicalizer.Algorithm}.");
            return false;
        }
        foreach (var name in new[] { "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", SigV4Canonicalizer.SignatureParameter })
        {
            if (string.IsNullOrEmpty(Query(name)))
            {
                failure = Fail(Ec2ErrorCodes.MissingParameter, $"The request must contain the parameter {name}.");
                return false;
            }
        }

        int? expires = null;
        if (Query("X-Amz-Expires") is { } expiresText)
        {
            if (!int.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1 || seconds > MaxPresignSeconds)
            {
                failure = Fail(Ec2ErrorCodes.InvalidParameterValue,
                    $"X-Amz-Expires '{Shorten(expiresText)}' must be a number of seconds from 1 to {MaxPresignSeconds}.");
                return false;
            }
            expires = seconds;
        }

        return TryBuild(request, Query("X-Amz-Credential")!, Query("X-Amz-Date")!, expires, Query("X-Amz-SignedHeaders")!,
            Query(SigV4Canonicalizer.SignatureParameter)!, presigned: true, out claim, out failure);
    }

    public bool Matches(string secretKey)
    {
        var signingKey = SigV4Canonicalizer.SigningKey(secretKey, _date, _region, _service);
        var scope = $"{_date}/{_region}/{_service}/{SigV4Canonicalizer.Terminator}";
        var prefix = SigV4Canonicalizer.CanonicalRequestPrefix(_request, _signedHeaderNames, _signedHeaders, _presigned);
        var provided = Encoding.UTF8.GetBytes(_signature.ToLowerInvariant());
        foreach (var payloadHash in _payloadHashes)
        {
            var expected = SigV4Canonicalizer.Sign(signingKey, SigV4Canonicalizer.StringToSign(_amzDate, scope, prefix + payloadHash));
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), provided))
            {
                return true;
            }
        }
        return false;
    }

    private static bool TryBuild(Ec2Request request, string credentialText, string amzDate, int? expires, string signedHeaders,
        string signature, bool presigned, [NotNullWhen(true)] out SigV4Claim? claim, [NotNullWhen(false)] out Ec2VerificationResult? failure)
    {
        claim = null;
        if (!Credential.TryParse(credentialText, out var credential, out var problem))
        {
            failure = Fail(Ec2ErrorCodes.IncompleteSignature, problem);
            return false;
        }
        if (!DateTimeOffset.TryParseExact(amzDate, SigV4Canonicalizer.DateFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt)
            || !Ec2SignatureVerifier.IsPlausible(signedAt))
        {
            failure = Fail(Ec2ErrorCodes.InvalidParameterValue, $"X-Amz-Date '{Shorten(amzDate)}' is not an ISO 8601 basic timestamp (yyyyMMddTHHmmssZ).");
            return false;
        }
        if (!amzDate.StartsWith(credential.Date, StringComparison.Ordinal))
        {
            failure = Fail(Ec2ErrorCodes.SignatureDoesNotMatch,
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{credential.Date}' != '{amzDate[..8]}'.");
            return false;
        }

        var signedHeaderNames = SigV4Canonicalizer.SplitSignedHeaders(signedHeaders);
        if (signedHeaderNames.Any(static h => h.Length == 0))
        {
            failure = Fail(Ec2ErrorCodes.IncompleteSignature, $"SignedHeaders '{Shorten(signedHeaders)}' has an empty header name.");
            return false;
        }
        // Host must be signed, or a captured request could be replayed against another endpoint.
        if (!signedHeaderNames.Contains("host"))
        {
            failure = Fail(Ec2ErrorCodes.IncompleteSignature, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
            return false;
        }

        var bodyHash = SigV4Canonicalizer.HashHex(request.Body.Span);
        var declaredHash = request.GetHeader("x-amz-content-sha256")?.Trim();
        // Trusting a declared hash without checking it would let anyone swap the form body, which holds the Action.
        if (declaredHash is not null && request.Body.Length > 0 && !declaredHash.Equals(bodyHash, StringComparison.OrdinalIgnoreCase))
        {
            failure = Fail(Ec2ErrorCodes.SignatureDoesNotMatch, "The x-amz-content-sha256 header does not match the SHA-256 of the request body.");
            return false;
        }
        string[] payloadHashes = declaredHash is not null ? [declaredHash]
            : presigned && request.Body.Length == 0 ? [bodyHash, SigV4Canonicalizer.UnsignedPayload]
            : [bodyHash];

        var validFor = expires is { } seconds ? TimeSpan.FromSeconds(seconds) : Ec2SignatureVerifier.AllowedClockSkew;
        claim = new SigV4Claim(request, credential, amzDate, signedAt, validFor, signedHeaders, signedHeaderNames, signature, payloadHashes, presigned);
        failure = null;
        return true;
    }

    private static Ec2VerificationResult Fail(string code, string message) => Ec2VerificationResult.Failure(code, message);

    // Client text echoed in messages is cut short: an error body should not mirror a megabyte header.
    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    /// <summary><c>AKID/yyyymmdd/region/service/aws4_request</c>; the key id may itself contain <c>:</c> (nova's <c>access:project</c>).</summary>
    private readonly record struct Credential(string AccessKey, string Date, string Region, string Service)
    {
        public static bool TryParse(string text, out Credential credential, out string problem)
        {
            credential = default;
            var parts = text.Split('/');
            if (parts.Length < 5 || parts[^1] != SigV4Canonicalizer.Terminator)
            {
                problem = $"Credential '{Shorten(text)}' must be of the form <access key>/<yyyymmdd>/<region>/<service>/aws4_request.";
                return false;
            }
            var accessKey = string.Join('/', parts[..^4]);
            var (date, region, service) = (parts[^4], parts[^3], parts[^2]);
            if (accessKey.Length == 0 || region.Length == 0 || service.Length == 0)
            {
                problem = $"Credential '{Shorten(text)}' has an empty access key, region or service.";
                return false;
            }
            if (!DateTime.TryParseExact(date, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                problem = $"Credential scope date '{Shorten(date)}' is not a yyyymmdd date.";
                return false;
            }
            credential = new Credential(accessKey, date, region, service);
            problem = "";
            return true;
        }
    }
}
