using System.Globalization;
using Cloud.Modules.Kernel.Http;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Storage.Db;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Swift.Storage;

/// <summary>
/// Swift's container server: one SQLite database per container under
/// <c>&lt;devices&gt;/&lt;device&gt;/containers/&lt;partition&gt;/&lt;suffix&gt;/&lt;hash&gt;/&lt;hash&gt;.db</c>, holding the
/// container's metadata and a row per object (sent by object servers after each write), and answering listings.
/// Routes: <c>/{device}/{partition}/{account}/{container}[/{object}]</c>.
/// </summary>
public sealed partial class ContainerServer(SwiftStorageFlags flags, SwiftHash hash, TimeProvider clock, ILogger<ContainerServer> log)
    : DatabaseServer<ContainerInfoRow>(flags, clock, Replication.DatabaseKind.Container)
{
    /// <summary>The HTTP endpoint of this server on the configured address and container port.</summary>
    public HttpServerOptions HttpOptions(string role) =>
        HttpOptionsOn(role, "swift-container-server", Flags.SwiftContainerPort, "swift_container_port");

    // Object names keep %2F and slashes: everything after the container is the object.
    private protected override ContainerRequestPath ParsePath(HttpContext context) => ContainerRequestPath.Parse(context, 4, 5, restWithLast: true);

    private protected override string HashOf(ContainerRequestPath path) => hash.Hex(path.Account, path.Container);

    private protected override Task ServeAsync(HttpContext context, ContainerRequestPath path, string file)
    {
        var method = context.Request.Method;
        return path.Object is { } obj
            ? method switch
            {
                "PUT" => PutObjectAsync(context, file, obj),
                "DELETE" => DeleteObjectAsync(context, file, obj),
                _ => throw new ContainerHttpException(StatusCodes.Status405MethodNotAllowed, $"{method} is not allowed on an object row"),
            }
            : method switch
            {
                "PUT" => PutAsync(context, file, path),
                "DELETE" => DeleteContainerAsync(context, file, path),
                "POST" => PostAsync(context, file),
                "HEAD" => HeadAsync(context, file),
                _ => ListAsync<ContainerObjectRow>(context, file, path.Container!, ContainerQueries.Listing),
            };
    }

    private protected override void LogMetadataUpdated(ContainerInfoRow info, string timestamp) => LogMetadata(info.Account, info.Container, timestamp);

    private protected override void WriteInfoHeaders(IHeaderDictionary headers, ContainerInfoRow info)
    {
        base.WriteInfoHeaders(headers, info);
        // Swift 2.30's container server: the put timestamp rounded up to the second.
        headers.LastModified = ContainerTimestamp.HttpDate(info.PutTimestamp);
    }

    private protected override void CheckDeletable(ContainerInfoRow info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.ObjectCount > 0)
        {
            throw new ContainerHttpException(StatusCodes.Status409Conflict, "There was a conflict when trying to complete your request.");
        }
    }

    private async Task PutAsync(HttpContext context, string file, ContainerRequestPath path)
    {
        var timestamp = DatabaseServerHttp.RequiredTimestamp(context.Request, "X-Timestamp");
        await using var db = SwiftDatabase.Open(file, create: true)!;
        using var tx = db.BeginTransaction();
        await db.ExecuteAsync(ContainerQueries.Schema, transaction: tx).ConfigureAwait(false);
        var info = await db.QuerySingleOrDefaultAsync<ContainerInfoRow>(ContainerQueries.Info, transaction: tx).ConfigureAwait(false);
        var args = new { path.Account, path.Container, Timestamp = timestamp, ContainerTimestamp.Zero };
        var created = info is null || info.IsDeleted;
        var sql = info is null ? ContainerQueries.InsertInfo : info.IsDeleted ? ContainerQueries.Recreate : ContainerQueries.SetPutTimestamp;
        await db.ExecuteAsync(sql, args, tx).ConfigureAwait(false);
        var metadata = ContainerMetadata.Merge(created ? "{}" : info!.Metadata, context.Request.Headers, MetadataPrefix, Kind.SystemMetadata);
        await db.ExecuteAsync(ContainerQueries.SetMetadata, new { Metadata = metadata }, tx).ConfigureAwait(false);
        tx.Commit();
        if (created)
        {
            LogCreated(path.Account, path.Container!);
        }
        context.Response.StatusCode = created ? StatusCodes.Status201Created : StatusCodes.Status202Accepted;
    }

    private async Task DeleteContainerAsync(HttpContext context, string file, ContainerRequestPath path)
    {
        await DeleteAsync(context, file).ConfigureAwait(false);
        LogDeleted(path.Account, path.Container!);
    }

    private async Task PutObjectAsync(HttpContext context, string file, string name)
    {
        var headers = context.Request.Headers;
        var timestamp = DatabaseServerHttp.RequiredTimestamp(context.Request, "X-Timestamp");
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

    private async Task DeleteObjectAsync(HttpContext context, string file, string name)
    {
        var timestamp = DatabaseServerHttp.RequiredTimestamp(context.Request, "X-Timestamp");
        await MergeObjectAsync(file, new { Name = name, CreatedAt = timestamp, Size = 0L, ContentType = "", Etag = "", Deleted = 1 }).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task MergeObjectAsync(string file, object row)
    {
        await using var db = DatabaseServerHttp.OpenExisting(file);
        using var tx = db.BeginTransaction();
        if (!File.Exists(file))
        {
            // A replicator removed this synced handoff copy while we waited for its lock: the row must not go into
            // the unlinked file. The sender queues the update and delivers it to the primaries.
            throw DatabaseServerHttp.NotFound();
        }
        await LiveInfoAsync(db, tx).ConfigureAwait(false);
        await db.ExecuteAsync(ContainerQueries.MergeObject, row, tx).ConfigureAwait(false);
        tx.Commit();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created container {Account}/{Container}")]
    private partial void LogCreated(string account, string container);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted container {Account}/{Container}")]
    private partial void LogDeleted(string account, string container);

    [LoggerMessage(Level = LogLevel.Information, Message = "Updated metadata of container {Account}/{Container} at {Timestamp}")]
    private partial void LogMetadata(string account, string container, string timestamp);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Object row {Name} at {Timestamp}, {Size} bytes")]
    private partial void LogObjectRow(string name, string timestamp, long size);
}
