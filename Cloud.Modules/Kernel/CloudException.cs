namespace Cloud.Modules.Kernel;

/// <summary>
/// A request the cloud refuses for a reason the caller can fix or must be told: APIs map <see cref="Kind"/>
/// to their status (404, 409, 400, 403, 401, 413), operator commands print the message and exit with 1.
/// </summary>
public sealed class CloudException(CloudErrorKind kind, string message) : Exception(message)
{
    public CloudErrorKind Kind { get; } = kind;

    public static CloudException NotFound(string message) => new(CloudErrorKind.NotFound, message);

    public static CloudException Conflict(string message) => new(CloudErrorKind.Conflict, message);

    public static CloudException Invalid(string message) => new(CloudErrorKind.Invalid, message);

    public static CloudException Forbidden(string message) => new(CloudErrorKind.Forbidden, message);

    public static CloudException Unauthorized(string message) => new(CloudErrorKind.Unauthorized, message);

    /// <summary>The request is over a size or count limit (413).</summary>
    public static CloudException TooLarge(string message) => new(CloudErrorKind.TooLarge, message);
}

/// <summary>Why a request was refused.</summary>
public enum CloudErrorKind
{
    NotFound,
    Conflict,
    Invalid,
    Forbidden,
    Unauthorized,
    TooLarge,
}
