using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Pipeline;

/// <summary>Splits <c>/v1/{account}[/{container}[/{object}]]</c> into its percent-decoded names (swift's <c>split_path</c>).</summary>
public static class SwiftProxyPath
{
    /// <summary>The request the path names, or the refusal for a path that names none (404, 412 "Bad URL", 400 for dot segments).</summary>
    public static (SwiftProxyRequest? Request, (int Status, string Message)? Refusal) Parse(SwiftProxyEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var path = entry.Path;
        if (!path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            return (null, (StatusCodes.Status404NotFound, "Not Found"));
        }
        var segments = path[4..].Split('/', 3);
        var account = Uri.UnescapeDataString(segments[0]);
        var container = segments.Length > 1 && segments[1].Length > 0 ? Uri.UnescapeDataString(segments[1]) : null;
        var obj = segments.Length > 2 && segments[2].Length > 0 ? Uri.UnescapeDataString(segments[2]) : null;
        if (account.Length == 0 || (segments.Length > 2 && container is null))
        {
            return (null, (StatusCodes.Status412PreconditionFailed, "Bad URL"));
        }
        if (account is "." or ".." || container is "." or "..")
        {
            // Names the storage servers' paths could take for dot segments; swift's own clients never make them.
            return (null, (StatusCodes.Status400BadRequest, $"Invalid {(container is null ? "account" : "container")} name '{container ?? account}'"));
        }
        return (new SwiftProxyRequest(entry.Context, account, container, obj, entry.Query) { RawPath = path }, null);
    }
}
