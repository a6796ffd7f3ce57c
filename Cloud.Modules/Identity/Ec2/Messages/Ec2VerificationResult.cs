using System.Diagnostics.CodeAnalysis;

namespace Cloud.Modules.Identity.Ec2;

/// <summary>
/// The outcome of <see cref="Ec2SignatureVerifier"/>: on success the matched credential and the request's
/// <c>Action</c>; on failure an EC2 error code, a message safe to send to the client (it never holds a secret)
/// and the HTTP status to answer with. <see cref="Ec2ErrorResponse"/> renders a failure as EC2's error XML.
/// </summary>
public sealed record Ec2VerificationResult
{
    private Ec2VerificationResult(Ec2Secret? secret, string? action, int signatureVersion, string? errorCode, string? message)
    {
        Secret = secret;
        Action = action;
        SignatureVersion = signatureVersion;
        ErrorCode = errorCode;
        Message = message;
    }

    /// <summary>True when the signature is valid and current.</summary>
    [MemberNotNullWhen(true, nameof(Secret))]
    [MemberNotNullWhen(false, nameof(ErrorCode), nameof(Message))]
    public bool Succeeded => Secret is not null;

    /// <summary>The credential the request was signed with; null on failure.</summary>
    public Ec2Secret? Secret { get; }

    /// <summary>The <c>Action</c> parameter (query string or form), e.g. <c>DescribeInstances</c>; null when absent or on failure.</summary>
    public string? Action { get; }

    /// <summary>2 or 4 on success; 0 on failure.</summary>
    public int SignatureVersion { get; }

    /// <summary>One of <see cref="Ec2ErrorCodes"/>; null on success.</summary>
    public string? ErrorCode { get; }

    /// <summary>Human-readable reason, safe to return to the client; null on success.</summary>
    public string? Message { get; }

    /// <summary>200 on success, else the status EC2 answers <see cref="ErrorCode"/> with.</summary>
    public int HttpStatus => ErrorCode is null ? 200 : Ec2ErrorCodes.HttpStatusFor(ErrorCode);

    public static Ec2VerificationResult Success(Ec2Secret secret, string? action, int signatureVersion)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return new(secret, action, signatureVersion, null, null);
    }

    public static Ec2VerificationResult Failure(string errorCode, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorCode);
        return new(null, null, 0, errorCode, message);
    }
}
