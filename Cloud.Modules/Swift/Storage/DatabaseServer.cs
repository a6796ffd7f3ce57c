using System.Globalization;
using Cloud.Modules.Kernel.Http;
using Cloud.Modules.Swift.Storage.Db;
using Cloud.Modules.Swift.Storage.Replication;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Storage;

/// <summary>
/// What swift's account and container servers share (swift's <c>common/db</c> servers): one SQLite database per
/// account or container under <c>&lt;devices&gt;/&lt;device&gt;/&lt;accounts|containers&gt;/&lt;partition&gt;/&lt;suffix&gt;/&lt;hash&gt;/&lt;hash&gt;.db</c>,
/// one route whose paths are split from the raw target (a short path is a 400 from the server rather than a 404 from
/// routing), text/plain errors, and the HEAD, POST (metadata), DELETE and GET (listing) of the database itself.
/// </summary>
/// <typeparam name="TInfo">The database's info row.</typeparam>
public abstract class DatabaseServer<TInfo>(SwiftStorageFlags flags, TimeProvider clock, DatabaseKind kind)
    where TInfo : class, IDatabaseInfoRow
{
    private static readonly string[] Methods = ["GET", "HEAD", "PUT", "DELETE", "POST"];

    // "Account" or "Container", as the headers spell it.
    private readonly string _title = string.Concat(kind.Name[..1].ToUpperInvariant(), kind.Name.AsSpan(1));

    private protected SwiftStorageFlags Flags => flags;

    /// <summary>The kind of database served, with its SQL.</summary>
    private protected DatabaseKind Kind => kind;

    /// <summary>The user metadata prefix: <c>X-Account-Meta-</c> or <c>X-Container-Meta-</c>.</summary>
    private protected string MetadataPrefix => $"X-{_title}-Meta-";

    /// <summary>Adds the server's routes, and its replication endpoint.</summary>
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapMethods("/{**path}", Methods, HandleAsync);
        new DatabaseReplicationEndpoint(flags, kind).Map(app);
    }

    /// <summary>The HTTP endpoint of this server on the configured address and <paramref name="port"/>.</summary>
    private protected HttpServerOptions HttpOptionsOn(string role, string name, int port, string portFlag) =>
        new(role, name, flags.SwiftStorageListen, port, Map, DatabaseServerHttp.WriteError, PortFlag: portFlag, Kestrel: Common.SwiftKestrel.Configure,
            Sockets: EagerReceive.Configure);

    /// <summary>The request's path: device, partition, account and what follows.</summary>
    private protected abstract ContainerRequestPath ParsePath(HttpContext context);

    /// <summary>The name hash the database of <paramref name="path"/> is filed under.</summary>
    private protected abstract string HashOf(ContainerRequestPath path);

    /// <summary>Serves one request on the database file <paramref name="file"/> (which may not exist yet).</summary>
    private protected abstract Task ServeAsync(HttpContext context, ContainerRequestPath path, string file);

    /// <summary>Logs a metadata update of the database <paramref name="info"/> describes.</summary>
    private protected abstract void LogMetadataUpdated(TInfo info, string timestamp);

    /// <summary>Throws when the database may not be deleted as it is (a container with objects in it).</summary>
    private protected virtual void CheckDeletable(TInfo info)
    {
    }

    /// <summary>Writes the info row as response headers.</summary>
    private protected virtual void WriteInfoHeaders(IHeaderDictionary headers, TInfo info)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(info);
        headers[$"X-{_title}-Object-Count"] = info.ObjectCount.ToString(CultureInfo.InvariantCulture);
        headers[$"X-{_title}-Bytes-Used"] = info.BytesUsed.ToString(CultureInfo.InvariantCulture);
        headers["X-Timestamp"] = info.CreatedAt;
        headers["X-Put-Timestamp"] = info.PutTimestamp;
        headers.AcceptRanges = "bytes";
        ContainerMetadata.WriteHeaders(info.Metadata, headers);
    }

    /// <summary>Headers computed from the rows rather than the info row (an account's per-policy totals); none by default.</summary>
    private protected virtual Task WriteStatsHeadersAsync(IHeaderDictionary headers, Microsoft.Data.Sqlite.SqliteConnection db) => Task.CompletedTask;

    private protected async Task DeleteAsync(HttpContext context, string file)
    {
        var timestamp = DatabaseServerHttp.RequiredTimestamp(context.Request, "X-Timestamp");
        await using var db = DatabaseServerHttp.OpenExisting(file);
        using var tx = db.BeginTransaction();
        CheckDeletable(await LiveInfoAsync(db, tx).ConfigureAwait(false));
        await db.ExecuteAsync(kind.SetDeleteTimestamp, new { Timestamp = timestamp }, tx).ConfigureAwait(false);
        tx.Commit();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private protected async Task PostAsync(HttpContext context, string file)
    {
        // Metadata here carries no per-key time, so a POST without X-Timestamp (swift would refuse it) just means now.
        var timestamp = context.Request.Headers.ContainsKey("X-Timestamp")
            ? DatabaseServerHttp.RequiredTimestamp(context.Request, "X-Timestamp")
            : ContainerTimestamp.FromTime(clock.GetUtcNow());
        await using var db = DatabaseServerHttp.OpenExisting(file);
        using var tx = db.BeginTransaction();
        var info = await LiveInfoAsync(db, tx).ConfigureAwait(false);
        var metadata = ContainerMetadata.Merge(info.Metadata, context.Request.Headers, MetadataPrefix, kind.SystemMetadata);
        await db.ExecuteAsync(kind.SetMetadata, new { Metadata = metadata }, tx).ConfigureAwait(false);
        tx.Commit();
        LogMetadataUpdated(info, timestamp);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private protected async Task HeadAsync(HttpContext context, string file)
    {
        await using var db = DatabaseServerHttp.OpenExisting(file);
        WriteInfoHeaders(context.Response.Headers, await LiveInfoAsync(db, null).ConfigureAwait(false));
        await WriteStatsHeadersAsync(context.Response.Headers, db).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>A GET: the info headers and the listing of <paramref name="name"/>'s rows.</summary>
    private protected async Task ListAsync(HttpContext context, string file, string name, ListingSql listing)
    {
        var query = ContainerListingQuery.Parse(context.Request);
        await using var db = DatabaseServerHttp.OpenExisting(file);
        WriteInfoHeaders(context.Response.Headers, await LiveInfoAsync(db, null).ConfigureAwait(false));
        await WriteStatsHeadersAsync(context.Response.Headers, db).ConfigureAwait(false);
        var rows = await ContainerListing.CollectAsync(query, db, listing).ConfigureAwait(false);
        await ContainerListing.WriteAsync(context, query, kind.Name, name, rows).ConfigureAwait(false);
    }

    /// <summary>The info row; 404 when the database has none or counts as deleted.</summary>
    private protected async Task<TInfo> LiveInfoAsync(Microsoft.Data.Sqlite.SqliteConnection db, Microsoft.Data.Sqlite.SqliteTransaction? tx)
    {
        var info = await SwiftDatabase.InfoAsync<TInfo>(db, kind.LiveInfo, tx).ConfigureAwait(false);
        return info is null || info.IsDeleted ? throw DatabaseServerHttp.NotFound() : info;
    }

    /// <summary>The database file of name hash <paramref name="hex"/> in <paramref name="partition"/> of <paramref name="device"/>; 400 or 507 for a bad device.</summary>
    private protected string DatabaseFile(string device, string partition, string hex) =>
        Path.Combine(ContainerDrive.Resolve(flags, device), kind.DirectoryName, partition, hex[^3..], hex, hex + ".db");

    private async Task HandleAsync(HttpContext context)
    {
        try
        {
            var path = ParsePath(context);
            var file = DatabaseFile(path.Device, path.Partition, HashOf(path));
            await ServeAsync(context, path, file).ConfigureAwait(false);
        }
        catch (ContainerHttpException e)
        {
            await DatabaseServerHttp.WriteError(context, e.Status, e.Message).ConfigureAwait(false);
        }
    }
}
