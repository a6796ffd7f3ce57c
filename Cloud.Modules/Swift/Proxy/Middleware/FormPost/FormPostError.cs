namespace Cloud.Modules.Swift.Proxy.Middleware.FormPost;

/// <summary>
/// Why a form post is refused: a bad form (400, "FormPost: &lt;message&gt;") or a signature that does not open the
/// container (401, "FormPost: &lt;Message Title-Cased&gt;"), as swift's FormInvalid and FormUnauthorized.
/// </summary>
public sealed class FormPostError(bool unauthorized, string message) : Exception(message)
{
    /// <summary>401 rather than 400.</summary>
    public bool Unauthorized { get; } = unauthorized;

    /// <summary>A 400 for a form that breaks a rule.</summary>
    public static FormPostError Invalid(string message) => new(false, message);

    /// <summary>A 401 for a signature that is wrong, missing or expired.</summary>
    public static FormPostError Denied(string message) => new(true, message);
}
