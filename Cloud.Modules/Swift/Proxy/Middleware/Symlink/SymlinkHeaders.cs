namespace Cloud.Modules.Swift.Proxy.Middleware.Symlink;

/// <summary>The headers of swift's symlinks: the client's X-Symlink-* and the system metadata the object servers keep.</summary>
public static class SymlinkHeaders
{
    public const string Target = "X-Symlink-Target";
    public const string TargetAccount = "X-Symlink-Target-Account";
    public const string TargetEtag = "X-Symlink-Target-Etag";
    public const string TargetBytes = "X-Symlink-Target-Bytes";

    public const string SysmetaTarget = "X-Object-Sysmeta-Symlink-Target";
    public const string SysmetaTargetAccount = "X-Object-Sysmeta-Symlink-Target-Account";
    public const string SysmetaTargetEtag = "X-Object-Sysmeta-Symlink-Target-Etag";
    public const string SysmetaTargetBytes = "X-Object-Sysmeta-Symlink-Target-Bytes";

    /// <summary>What the object servers put in the listing row's hash instead of the object's ETag.</summary>
    public const string RowEtagOverride = "X-Backend-Container-Update-Override-Etag";

    /// <summary>The ETag of an empty body: a symlink's own, and the base of its listing row's.</summary>
    public const string EmptyEtag = "d41d8cd98f00b204e9800998ecf8427e";

    /// <summary>The content type of a dynamic symlink whose client gave none.</summary>
    public const string ContentType = "application/symlink";

    /// <summary>Client-facing names of the system metadata, as a <c>?symlink=get</c> answer shows them.</summary>
    public static readonly (string Sysmeta, string Client)[] Shown =
    [
        (SysmetaTarget, Target), (SysmetaTargetAccount, TargetAccount), (SysmetaTargetEtag, TargetEtag), (SysmetaTargetBytes, TargetBytes),
    ];

    /// <summary>Splits a link's <c>container/object</c> target (percent-encoded unless <paramref name="quoted"/> is false); null when it names not both.</summary>
    public static (string Container, string Object)? SplitTarget(string target, bool quoted = true)
    {
        ArgumentNullException.ThrowIfNull(target);
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == target.Length - 1)
        {
            return null;
        }
        var (container, obj) = (target[..slash], target[(slash + 1)..]);
        return quoted ? (Uri.UnescapeDataString(container), Uri.UnescapeDataString(obj)) : (container, obj);
    }

    /// <summary>A header of a storage server's answer; null when absent.</summary>
    public static string? Of(HttpResponseMessage response, string name)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
    }
}
