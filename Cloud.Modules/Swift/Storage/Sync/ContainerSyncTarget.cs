namespace Cloud.Modules.Swift.Storage.Sync;

/// <summary>
/// Where one container syncs to and how each request proves it may (swift's container_sync_row): the container's
/// X-Container-Sync-Key as X-Container-Sync-Key for a full URL; for a realm, X-Container-Sync-Auth
/// <c>realm nonce sig</c>, the realm's HMAC over the method, the remote path, the X-Timestamp, the nonce and that key.
/// </summary>
/// <param name="Url">The remote container's URL (https://host/v1/AUTH_x/c).</param>
/// <param name="UserKey">The container's X-Container-Sync-Key.</param>
/// <param name="Realm">The realm, or null for a full URL.</param>
/// <param name="RealmKey">The realm's key, or null for a full URL.</param>
internal sealed record ContainerSyncTarget(string Url, string UserKey, string? Realm, string? RealmKey)
{
    /// <summary>The URL of one object of the remote container.</summary>
    public Uri ObjectUri(string name) =>
        new($"{Url}/{Common.ContainerSyncRealms.Quote(name)}", new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

    /// <summary>Adds the proof to a request for object <paramref name="name"/> (whose X-Timestamp is <paramref name="timestamp"/>).</summary>
    public void Sign(HttpRequestMessage message, string name, string timestamp)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Realm is null || RealmKey is null)
        {
            message.Headers.TryAddWithoutValidation("X-Container-Sync-Key", UserKey);
            return;
        }
        var nonce = Guid.NewGuid().ToString("N");
        // urlparse(sync_to).path + '/' + quote(name), as swift signs it.
        var afterScheme = Url.IndexOf("//", StringComparison.Ordinal) + 2;
        var slash = Url.IndexOf('/', afterScheme);
        var path = (slash < 0 ? "" : Url[slash..]) + "/" + Common.ContainerSyncRealms.Quote(name);
        var sig = Common.ContainerSyncRealms.Signature(message.Method.Method, path, timestamp, nonce, RealmKey, UserKey);
        message.Headers.TryAddWithoutValidation("X-Container-Sync-Auth", $"{Realm} {nonce} {sig}");
    }
}
