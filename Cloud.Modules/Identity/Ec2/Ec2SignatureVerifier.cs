using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Cloud.Modules.Identity.Ec2;

/// <summary>
/// Checks the signature of an EC2 Query API request: AWS Signature Version 4 (the <c>Authorization</c> header as
/// awscli and boto3 send it, or presigned <c>X-Amz-*</c> query parameters) and Version 2 (boto3 with
/// <c>signature_version='v2'</c>, legacy tools). Requests must be signed within <see cref="AllowedClockSkew"/> of
/// the server clock (a SigV4 request's body must match its signed payload hash). As on AWS, a correctly signed
/// request may be sent again within that window: two identical calls in one second are both legitimate. Every refusal is a
/// <see cref="Ec2VerificationResult"/> carrying EC2's error code; nothing malformed throws. Thread-safe.
/// </summary>
public sealed class Ec2SignatureVerifier
{
    /// <summary>How far a request's signing time may be from the server clock: 15 minutes, as EC2 allows.</summary>
    public static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(15);

    /// <summary>The longest a signature may stay valid (SigV4 <c>X-Amz-Expires</c>, SigV2 <c>Expires</c>): 7 days.</summary>
    public static readonly TimeSpan MaxValidity = TimeSpan.FromDays(7);

    private readonly TimeProvider _time;

    /// <param name="time">The clock; default: <see cref="TimeProvider.System"/>.</param>
    public Ec2SignatureVerifier(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Verifies <paramref name="request"/>. <paramref name="lookupSecret"/> is called at most once, with the access
    /// key the client named, and returns null for an unknown key; its exceptions (a database down) propagate.
    /// </summary>
    public async Task<Ec2VerificationResult> VerifyAsync(Ec2Request request,
        Func<string, CancellationToken, Task<Ec2Secret?>> lookupSecret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lookupSecret);
        var now = _time.GetUtcNow();
        if (!TryPrepare(request, now, out var claim, out var failure))
        {
            return failure;
        }
        var secret = await lookupSecret(claim.AccessKey, cancellationToken).ConfigureAwait(false);
        return Conclude(request, claim, secret);
    }

    /// <summary>Synchronous <see cref="VerifyAsync"/> for a lookup that needs no I/O (an in-memory table, tests, benchmarks).</summary>
    public Ec2VerificationResult Verify(Ec2Request request, Func<string, Ec2Secret?> lookupSecret)
    {
        ArgumentNullException.ThrowIfNull(lookupSecret);
        var now = _time.GetUtcNow();
        if (!TryPrepare(request, now, out var claim, out var failure))
        {
            return failure;
        }
        return Conclude(request, claim, lookupSecret(claim.AccessKey));
    }

    private static bool TryPrepare(Ec2Request request, DateTimeOffset now,
        [NotNullWhen(true)] out IEc2SignatureClaim? claim, [NotNullWhen(false)] out Ec2VerificationResult? failure)
    {
        ArgumentNullException.ThrowIfNull(request);
        claim = null;
        if (!TryReadClaim(request, out claim, out failure))
        {
            return false;
        }
        if (now < claim.NotBefore)
        {
            failure = Ec2VerificationResult.Failure(Ec2ErrorCodes.RequestExpired,
                $"Request is not yet valid: it was signed for {Format(claim.NotBefore + AllowedClockSkew)}, more than 15 minutes ahead of the server time {Format(now)}.");
            return false;
        }
        if (now > claim.NotAfter)
        {
            failure = Ec2VerificationResult.Failure(Ec2ErrorCodes.RequestExpired,
                $"Request has expired: it was valid until {Format(claim.NotAfter)} and the server time is {Format(now)}.");
            return false;
        }
        if (claim.NotAfter - now > MaxValidity)
        {
            failure = Ec2VerificationResult.Failure(Ec2ErrorCodes.InvalidParameterValue,
                $"The signature would stay valid until {Format(claim.NotAfter)}: at most 7 days ahead is allowed.");
            return false;
        }
        return true;
    }

    private static bool TryReadClaim(Ec2Request request,
        [NotNullWhen(true)] out IEc2SignatureClaim? claim, [NotNullWhen(false)] out Ec2VerificationResult? failure)
    {
        bool parsed;
        SigV4Claim? v4;
        var authorization = request.GetHeader("Authorization")?.Trim();
        if (authorization is { Length: > 0 } && authorization.StartsWith("AWS4-", StringComparison.Ordinal))
        {
            parsed = SigV4Claim.TryParseHeader(request, authorization, out v4, out failure);
            claim = v4;
            return parsed;
        }
        if (SigV4Claim.IsPresigned(request))
        {
            parsed = SigV4Claim.TryParseQuery(request, out v4, out failure);
            claim = v4;
            return parsed;
        }
        if (SigV2Claim.IsSigV2(request))
        {
            parsed = SigV2Claim.TryParse(request, out var v2, out failure);
            claim = v2;
            return parsed;
        }

        claim = null;
        failure = authorization is { Length: > 0 }
            ? Ec2VerificationResult.Failure(Ec2ErrorCodes.InvalidParameterValue,
                "Unsupported Authorization header: sign with AWS4-HMAC-SHA256 (Signature Version 4).")
            : Ec2VerificationResult.Failure(Ec2ErrorCodes.AuthFailure,
                "The request is not signed: send an AWS Signature Version 4 Authorization header or X-Amz-* query parameters, or Signature Version 2 parameters.");
        return false;
    }

    private static Ec2VerificationResult Conclude(Ec2Request request, IEc2SignatureClaim claim, Ec2Secret? secret)
    {
        if (secret is null)
        {
            return Ec2VerificationResult.Failure(Ec2ErrorCodes.AuthFailure, "AWS was not able to validate the provided access credentials.");
        }
        if (!claim.Matches(secret.SecretKey))
        {
            return Ec2VerificationResult.Failure(Ec2ErrorCodes.SignatureDoesNotMatch,
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
        }
        return Ec2VerificationResult.Success(secret, request.GetParameter("Action"), claim.Version);
    }

    /// <summary>Times a signature may name: far-off years would overflow the window arithmetic.</summary>
    internal static bool IsPlausible(DateTimeOffset time) => time.Year is >= 1970 and < 9000;

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
