using System.Globalization;
using System.Text;
using Cloud.Modules.Kernel.Http;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Storage.Db;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Swift.Storage;

/// <summary>
/// Swift's container server: one SQLite database per container under
/// <c>&lt;devices&gt;/&lt;device&gt;/containers/&lt;partition&gt;/&lt;suffix&gt;/&lt;hash&gt;/&lt;hash&gt;.db</c>, holding the
/// container's metadata and a row per object (sent by object servers after each write), and answering listings.
/// Routes: <c>/{device}/{partition}/{account}/{container}[/{object}]</c>.
/// </summary>
public sealed partial class ContainerServer(SwiftStorageFlags flags, SwiftHash hash, TimeProvider clock, ILogger<ContainerServer> log)
{
    private static readonly string[] Methods = ["GET", "HEAD", "PUT", "DELETE", "POST"];

    private static readonly string[] SystemMetadata =
        ["X-Container-Read", "X-Container-Write", "X-Container-Sync-To", "X-Container-Sync-Key", "X-Versions-Location", "X-History-Location"];

    /// <summary>The HTTP endpoint of this server on the configured address and container port.</summary>
    public HttpServerOptions HttpOptions(string role) =>
        new(role, "swift-container-server", flags.SwiftStorageListen, flags.SwiftContainerPort, Map, WriteError, PortFlag: "swift_container_port");

    /// <summary>Adds the container server's routes.</summary>
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // One catch-all route: paths are split from the raw target (object names keep %2F and slashes), and a short
        // path is a 400 from this server rather than a 404 from routing.
        app.MapMethods("/{**path}", Methods, HandleAsync);
        new Replication.DatabaseReplicationEndpoint(flags, Replication.DatabaseKind.Container).Map(app);
    }

    /// <summary>Writes an error the way swift does: the status with a text/plain message (no body for HEAD).</summary>
    public static async Task WriteError(HttpContext context, int status, string message)
    {
        if (context.Response.HasStarted)
        {
            return;
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }
        var body = Encoding.UTF8.GetBytes(message);
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        try
        {
            var path = ContainerRequestPath.Parse(context, 4, 5, restWithLast: true);
            var root = ContainerDrive.Resolve(flags, path.Device);
            var hex = hash.Hex(path.Account, path.Container);
            var file = Path.Combine(root, "containers", path.Partition, hex[^3..], hex, hex + ".db");
            var method = context.Request.Method;
            var task = path.Object is { } obj
                ? method switch
                {
                    "PUT" => PutObjectAsync(context, file, obj),
                    "DELETE" => DeleteObjectAsync(context, file, obj),
                    _ => throw new ContainerHttpException(StatusCodes.Status405MethodNotAllowed, $"{method} is not allowed on an object row"),
                }
                : method switch
                {
                    "PUT" => PutAsync(context, file, path),
                    "DELETE" => DeleteAsync(context, file, path),
                    "POST" => PostAsync(context, file),
                    "HEAD" => HeadAsync(context, file),
                    _ => GetAsync(context, file, path),
                };
            await task.ConfigureAwait(false);
        }
        catch (ContainerHttpException e)
        {
            await WriteError(context, e.Status, e.Message).ConfigureAwait(false);
        }
    }

    private async Task PutAsync(HttpContext context, string file, ContainerRequestPath path)
    {
        var timestamp = RequiredTimestamp(context.Request, "X-Timestamp");
        await using var db = SwiftDatabase.Open(file, create: true)!;
        using var tx = db.BeginTransaction();
        await db.ExecuteAsync(ContainerQueries.Schema, transaction: tx).ConfigureAwait(false);
        var info = await db.QuerySingleOrDefaultAsync<ContainerInfoRow>(ContainerQueries.Info, transaction: tx).ConfigureAwait(false);
        var args = new { path.Account, path.Container, Timestamp = timestamp, ContainerTimestamp.Zero };
        var created = info is null || info.IsDeleted;
        var sql = info is null ? ContainerQueries.InsertInfo : info.IsDeleted ? ContainerQueries.Recreate : ContainerQueries.SetPutTimestamp;
        await db.ExecuteAsync(sql, args, tx).ConfigureAwait(false);
        var metadata = ContainerMetadata.Merge(created ? "{}" : info!.Metadata, context.Request.Headers, "X-Container-Meta-", SystemMetadata);
        await db.ExecuteAsync(ContainerQueries.SetMetadata, new { Metadata = metadata }, tx).ConfigureAwait(false);
        tx.Commit();
        if (created)
        {
            LogCreated(path.Account, path.Container!);
        }
        context.Response.StatusCode = created ? StatusCodes.Status201Created : StatusCodes.Status202Accepted;
    }

    private async Task DeleteAsync(HttpContext context, string file, ContainerRequestPath path)
    {
        var timestamp = RequiredTimestamp(context.Request, "X-Timestamp");
        await using var db = OpenExisting(file);
        using var tx = db.BeginTransaction();
        var info = await LiveInfoAsync(db, tx).ConfigureAwait(false);
        if (info.ObjectCount > 0)
        {
            throw new ContainerHttpException(StatusCodes.Status409Conflict, "There was a conflict when trying to complete your request.");
        }
        await db.ExecuteAsync(ContainerQueries.SetDeleteTimestamp, new { Timestamp = timestamp }, tx).ConfigureAwait(false);
        tx.Commit();
        LogDeleted(path.Account, path.Container!);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task PostAsync(HttpContext context, string file)
    {
        // Metadata here carries no per-key time, so a POST without X-Timestamp (swift would refuse it) just means now.
        var timestamp = context.Request.Headers.ContainsKey("X-Timestamp")
            ? RequiredTimestamp(context.Request, "X-Timestamp")
            : ContainerTimestamp.FromTime(clock.GetUtcNow());
        await using var db = OpenExisting(file);
        using var tx = db.BeginTransaction();
        var info = await LiveInfoAsync(db, tx).ConfigureAwait(false);
        var metadata = ContainerMetadata.Merge(info.Metadata, context.Request.Headers, "X-Container-Meta-", SystemMetadata);
        await db.ExecuteAsync(ContainerQueries.SetMetadata, new { Metadata = metadata }, tx).ConfigureAwait(false);
        tx.Commit();
        LogMetadata(info.Account, info.Container, timestamp);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task HeadAsync(HttpContext context, string file)
    {
        await using var db = OpenExisting(file);
        WriteInfoHeaders(context.Response, await LiveInfoAsync(db, null).ConfigureAwait(false));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task GetAsync(HttpContext context, string file, ContainerRequestPath path)
    {
        var query = ContainerListingQuery.Parse(context.Request);
        await using var db = OpenExisting(file);
        WriteInfoHeaders(context.Response, await LiveInfoAsync(db, null).ConfigureAwait(false));
        var rows = await ContainerListing.CollectAsync<ContainerObjectRow>(query, db, ContainerQueries.Listing).ConfigureAwait(false);
        await ContainerListing.WriteAsync(context, query, "container", path.Container!, rows).ConfigureAwait(false);
    }

    private async Task PutObjectAsync(HttpContext context, string file, string name)
    {
        var headers = context.Request.Headers;
        var timestamp = RequiredTimestamp(context.Request, "X-Timestamp");
        if (!long.TryParse(headers["X-Size"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw new ContainerHttpException(StatusCodes.Status400BadRequest, "Missing or invalid X-Size header");
        }
        var row = new
        {
            Name = name,
            CreatedAt = timestamp,
            Size = size,
            ContentType = headers["X-Content-Type"].ToString(),
            Etag = headers["X-Etag"].ToString(),
            Deleted = 0,
        };
        await MergeObjectAsync(file, row).ConfigureAwait(false);
        LogObjectRow(name, timestamp, size);
        context.Response.StatusCode = StatusCodes.Status201Created;
    }

    private static async Task DeleteObjectAsync(HttpContext context, string file, string name)
    {
        var timestamp = RequiredTimestamp(context.Request, "X-Timestamp");
        await MergeObjectAsync(file, new { Name = name, CreatedAt = timestamp, Size = 0L, ContentType = "", Etag = "", Deleted = 1 }).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task MergeObjectAsync(string file, object row)
    {
        await using var db = OpenExisting(file);
        using var tx = db.BeginTransaction();
        if (!File.Exists(file))
        {
            // A replicator removed this synced handoff copy while we waited for its lock: the row must not go into
            // the unlinked file. The sender queues the update and delivers it to the primaries.
            throw NotFound();
        }
        await LiveInfoAsync(db, tx).ConfigureAwait(false);
        await db.ExecuteAsync(ContainerQueries.MergeObject, row, tx).ConfigureAwait(false);
        tx.Commit();
    }

    private static SqliteConnection OpenExisting(string file) =>
        SwiftDatabase.Open(file, create: false) ?? throw NotFound();

    private static async Task<ContainerInfoRow> LiveInfoAsync(SqliteConnection db, SqliteTransaction? tx)
    {
        var info = await SwiftDatabase.InfoAsync<ContainerInfoRow>(db, ContainerQueries.Info, tx).ConfigureAwait(false);
        return info is null || info.IsDeleted ? throw NotFound() : info;
    }

    private static void WriteInfoHeaders(HttpResponse response, ContainerInfoRow info)
    {
        var headers = response.Headers;
        headers["X-Container-Object-Count"] = info.ObjectCount.ToString(CultureInfo.InvariantCulture);
        headers["X-Container-Bytes-Used"] = info.BytesUsed.ToString(CultureInfo.InvariantCulture);
        headers["X-Timestamp"] = info.CreatedAt;
        headers["X-Put-Timestamp"] = info.PutTimestamp;
        ContainerMetadata.WriteHeaders(info.Metadata, headers);
    }

    /// <summary>The normalised timestamp header; 400 when missing or malformed.</summary>
    internal static string RequiredTimestamp(HttpRequest request, string header) =>
        ContainerTimestamp.Normalize(request.Headers[header].ToString())
        ?? throw new ContainerHttpException(StatusCodes.Status400BadRequest, $"Missing or invalid {header} header");

    private static ContainerHttpException NotFound() => new(StatusCodes.Status404NotFound, "Not Found");

    [LoggerMessage(Level = LogLevel.Information, Message = "Created container {Account}/{Container}")]
    private partial void LogCreated(string account, string container);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted container {Account}/{Container}")]
    private partial void LogDeleted(string account, string container);

    [LoggerMessage(Level = LogLevel.Information, Message = "Updated metadata of container {Account}/{Container} at {Timestamp}")]
    private partial void LogMetadata(string account, string container, string timestamp);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Object row {Name} at {Timestamp}, {Size} bytes")]
    private partial void LogObjectRow(string name, string timestamp, long size);
}
