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
        if (path == "/v1")
        {
            return (null, (StatusCodes.Status412PreconditionFailed, "Bad URL"));
        }
        if (!path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            return (null, (StatusCodes.Status404NotFound, "Not Found"));
        }
        if (!IsUtf8WithoutNul(path))
        {
            // swift's proxy checks the decoded path (check_utf8) before any controller.
            return (null, (StatusCodes.Status412PreconditionFailed, "Invalid UTF8 or contains NULL"));
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

    // The percent-decoded path's bytes are UTF-8 without NUL (a raw path is ASCII: Kestrel refuses other bytes).
    private static bool IsUtf8WithoutNul(string rawPath)
    {
        var bytes = new List<byte>(rawPath.Length);
        for (var i = 0; i < rawPath.Length; i++)
        {
            if (rawPath[i] == '%' && i + 2 < rawPath.Length && byte.TryParse(rawPath.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, null, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.Add((byte)rawPath[i]);
            }
        }
        if (bytes.Contains(0))
        {
            return false;
        }
        try
        {
            _ = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
            return true;
        }
        catch (System.Text.DecoderFallbackException)
        {
            return false;
        }
    }
}
