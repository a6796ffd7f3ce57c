namespace Cloud.Modules.Identity.Ec2;

/// <summary>The EC2 error codes signature checks answer with, and the HTTP status EC2 sends with each.</summary>
public static class Ec2ErrorCodes
{
    /// <summary>No signature or an unknown access key. HTTP 401.</summary>
    public const string AuthFailure = "AuthFailure";

    /// <summary>Wrong secret or a request changed after signing. HTTP 403.</summary>
    public const string SignatureDoesNotMatch = "SignatureDoesNotMatch";

    /// <summary>The signing time is too far from the server's clock, or the signature's validity has ended. HTTP 400.</summary>
    public const string RequestExpired = "RequestExpired";

    /// <summary>An Authorization header or credential scope missing a part, or malformed. HTTP 400.</summary>
    public const string IncompleteSignature = "IncompleteSignature";

    /// <summary>A required signing parameter is absent. HTTP 400.</summary>
    public const string MissingParameter = "MissingParameter";

    /// <summary>A signing parameter has an unsupported or unparsable value (algorithm, version, date). HTTP 400.</summary>
    public const string InvalidParameterValue = "InvalidParameterValue";

    /// <summary>Signing parameters that cannot be used together (SigV2 <c>Timestamp</c> and <c>Expires</c>). HTTP 400.</summary>
    public const string InvalidParameterCombination = "InvalidParameterCombination";

    /// <summary>The HTTP status EC2 answers <paramref name="code"/> with: 401, 403, or 400 for the rest.</summary>
    public static int HttpStatusFor(string code) => code switch
    {
        AuthFailure => 401,
        SignatureDoesNotMatch => 403,
        _ => 400,
    };
}
