namespace Cloud.Modules.Kernel.Auth;

/// <summary>
/// The reader/member/admin personas every API applies alike (the services' default policies since Keystone's implied
/// roles: reader for reads, member for changes, admin for admin APIs). A caller with neither member nor admin in the
/// project (a reader, or a custom role alone) may read and nothing more.
/// </summary>
public static class Personas
{
    public const string Member = "member";

    /// <summary>Whether the HTTP method only reads.</summary>
    public static bool IsRead(string method) =>
        method.Equals("GET", StringComparison.OrdinalIgnoreCase) || method.Equals("HEAD", StringComparison.OrdinalIgnoreCase)
        || method.Equals("OPTIONS", StringComparison.OrdinalIgnoreCase);

    /// <summary>403 with the service's policy message (<paramref name="refusal"/>) when the caller may not change anything and the method would.</summary>
    public static void RequireWriter(RequestContext context, string method, Func<string> refusal)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(refusal);
        if (!IsRead(method) && !context.IsAdmin && !context.Roles.Contains(Member))
        {
            throw CloudException.Forbidden(refusal());
        }
    }

    /// <summary>
    /// The rule a policy message names for a request: the first path segment that is neither a version nor a project id
    /// (e.g. <c>servers</c>, <c>os-keypairs</c>, <c>volumes</c>), then the verb (create, update, delete, or <c>action</c>).
    /// </summary>
    public static string Rule(string path, string method)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var resource = segments.FirstOrDefault(s => !(s.StartsWith('v') && s.Length > 1 && char.IsDigit(s[1])) && !(s.Length == 32 && s.All(char.IsAsciiHexDigit))) ?? "";
        var verb = segments.Length > 0 && segments[^1] == "action" ? "action"
            : method.ToUpperInvariant() switch
            {
                "POST" => "create",
                "DELETE" => "delete",
                _ => "update",
            };
        return $"{resource}:{verb}";
    }
}
