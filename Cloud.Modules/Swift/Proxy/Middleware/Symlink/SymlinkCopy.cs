namespace Cloud.Modules.Swift.Proxy.Middleware.Symlink;

/// <summary>
/// A copy whose source is a symlink, as swift's copy GET sub-request meets the symlink middleware: the copy follows the
/// link to the object it ends at (at most <see cref="SymlinkMiddleware.SymloopMax"/> hops, each target readable by the
/// caller), or with <c>?symlink=get</c> copies the link itself, so the destination becomes the same link.
/// </summary>
public static class SymlinkCopy
{
    /// <summary>Where a source link points: account, container and object; null when the source is no link.</summary>
    public static (string Account, string Container, string Object, string? Etag)? TargetOf(HttpResponseMessage source, string sourceAccount)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (SymlinkHeaders.Of(source, SymlinkHeaders.SysmetaTarget) is not { } target || SymlinkHeaders.SplitTarget(target) is not { } named)
        {
            return null;
        }
        var account = SymlinkHeaders.Of(source, SymlinkHeaders.SysmetaTargetAccount) is { } quoted ? Uri.UnescapeDataString(quoted) : sourceAccount;
        return (account, named.Container, named.Object, SymlinkHeaders.Of(source, SymlinkHeaders.SysmetaTargetEtag));
    }

    /// <summary>
    /// The backend headers that make the destination the same link as <paramref name="source"/>: its target as system
    /// metadata, and its listing row's etag as the symlink middleware writes it for a link PUT.
    /// </summary>
    public static Dictionary<string, string> LinkHeaders(HttpResponseMessage source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var rowEtag = SymlinkHeaders.EmptyEtag;
        foreach (var (sysmeta, row) in (ReadOnlySpan<(string, string)>)[
            (SymlinkHeaders.SysmetaTarget, "symlink_target"), (SymlinkHeaders.SysmetaTargetAccount, "symlink_target_account"),
            (SymlinkHeaders.SysmetaTargetEtag, "symlink_target_etag"), (SymlinkHeaders.SysmetaTargetBytes, "symlink_target_bytes")])
        {
            if (SymlinkHeaders.Of(source, sysmeta) is { } value)
            {
                headers[sysmeta] = value;
                rowEtag += $"; {row}={value}";
            }
        }
        headers[SymlinkHeaders.RowEtagOverride] = rowEtag;
        return headers;
    }
}
