using System.Globalization;
using Cloud.Modules.Kernel.Http;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Storage.Db;
using Cloud.Modules.Swift.Storage.Updater;
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
    : DatabaseServer<ContainerInfoRow>(flags, clock, Replication.DatabaseKind.Container), ILocalContainerRows, IDisposable
{
    // Object rows from the object servers, committed in groups per database.
    private readonly ContainerRowCommitter _rows = new(CheckLiveForMergeAsync);

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
                _ => ListAsync(context, file, path.Container!, ContainerQueries.Listing),
            };
    }

    private protected override void WriteInfoHeaders(IHeaderDictionary headers, ContainerInfoRow info)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(info);
        base.WriteInfoHeaders(headers, info);
        // As swift's container server: the last PUT of the container, rounded up to the second.
        headers.LastModified = ContainerTimestamp.HttpDate(info.PutTimestamp);
    }

    private protected override void LogMetadataUpdated(ContainerInfoRow info, string timestamp) => LogMetadata(info.Account, info.Container, timestamp);

    private protected override void CheckDeletable(ContainerInfoRow info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.ObjectCount > 0)
        {
            // Swift's standard 409 page (the message is its explanation only).
            throw new ContainerHttpException(StatusCodes.Status409Conflict, "");
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
        metadata = PolicyOf(context.Request.Headers, metadata, created);
        await db.ExecuteAsync(ContainerQueries.SetMetadata, new { Metadata = metadata }, tx).ConfigureAwait(false);
        tx.Commit();
        if (created)
        {
            LogCreated(path.Account, path.Container!);
        }
        context.Response.StatusCode = created ? StatusCodes.Status201Created : StatusCodes.Status202Accepted;
    }

    // A new container keeps the policy index the proxy names (or its default); an existing one cannot change it (409,
    // as swift). A container from before policies, with none stored, is in policy 0.
    private static string PolicyOf(IHeaderDictionary headers, string metadata, bool created)
    {
        var asked = PolicyIndex(headers, SwiftStoragePolicies.IndexHeader);
        if (!created)
        {
            var stored = ContainerMetadata.Get(metadata, SwiftStoragePolicies.IndexHeader) ?? "0";
            return asked is null || asked == stored
                ? metadata
                : throw new ContainerHttpException(StatusCodes.Status409Conflict, "");
        }
        return ContainerMetadata.With(metadata, SwiftStoragePolicies.IndexHeader, asked ?? PolicyIndex(headers, SwiftStoragePolicies.DefaultHeader) ?? "0");
    }

    private static string? PolicyIndex(IHeaderDictionary headers, string name)
    {
        var text = headers[name].ToString();
        return text.Length == 0 ? null
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index.ToString(CultureInfo.InvariantCulture)
            : throw new ContainerHttpException(StatusCodes.Status400BadRequest, $"Invalid {name}");
    }

    private async Task DeleteContainerAsync(HttpContext context, string file, ContainerRequestPath path)
    {
        await DeleteAsync(context, file).ConfigureAwait(false);
        LogDeleted(path.Account, path.Container!);
    }

    private async Task PutObjectAsync(HttpContext context, string file, string name)
    {
        var headers = context.Request.Headers;
        var row = RowOf("PUT", name, headers["X-Timestamp"].ToString(), h => headers[h].ToString());
        await MergeObjectAsync(file, row).ConfigureAwait(false);
        LogObjectRow(name, row.CreatedAt, row.Size);
        context.Response.StatusCode = StatusCodes.Status201Created;
    }

    private async Task DeleteObjectAsync(HttpContext context, string file, string name)
    {
        await MergeObjectAsync(file, RowOf("DELETE", name, context.Request.Headers["X-Timestamp"].ToString(), _ => "")).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public bool Serves(string host, int port) =>
        port == Flags.SwiftContainerPort && !ListenAddress.IsEveryInterface(Flags.SwiftStorageListen)
        && string.Equals(host, Flags.SwiftStorageListen.Trim().Trim('[', ']'), StringComparison.OrdinalIgnoreCase);

    public async Task<bool> MergeAsync(string device, int partition, ContainerUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        try
        {
            var file = DatabaseFile(device, partition.ToString(CultureInfo.InvariantCulture), hash.Hex(update.Account, update.Container));
            var row = RowOf(update.Op, update.Object, update.Timestamp, h => update.Headers.GetValueOrDefault(h, ""));
            await MergeObjectAsync(file, row).ConfigureAwait(false);
            LogObjectRow(update.Object, row.CreatedAt, row.Size);
            return true;
        }
        catch (Exception e)
        {
            // Whatever the HTTP path would have answered with an error (a 4xx, a 507 or a 500): the sender queues the update.
            LogLocalUpdateFailed(update.Op, update.Account, update.Container, update.Object, e.Message);
            return false;
        }
    }

    // The row an object server's PUT or DELETE carries: X-Timestamp, and for a PUT X-Size, X-Content-Type and X-Etag.
    private static ObjectRowChange RowOf(string op, string name, string timestamp, Func<string, string> header)
    {
        var at = ContainerTimestamp.Normalize(timestamp) ?? throw new ContainerHttpException(StatusCodes.Status400BadRequest, "Missing or invalid X-Timestamp header");
        if (op == "DELETE")
        {
            return new ObjectRowChange(name, at, 0, "", "", Deleted: 1);
        }
        if (!long.TryParse(header("X-Size"), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw new ContainerHttpException(StatusCodes.Status400BadRequest, "Missing or invalid X-Size header");
        }
        return new ObjectRowChange(name, at, size, header("X-Content-Type"), header("X-Etag"), Deleted: 0);
    }

    private Task MergeObjectAsync(string file, ObjectRowChange row) => _rows.MergeAsync(file, row);

    /// <summary>Closes the container databases the row committer keeps open.</summary>
    public void Dispose() => _rows.Dispose();

    // The rows' check inside each group commit: a deleted container takes no rows (404, and the sender queues them).
    private static async Task CheckLiveForMergeAsync(Microsoft.Data.Sqlite.SqliteConnection db, Microsoft.Data.Sqlite.SqliteTransaction tx)
    {
        var info = await SwiftDatabase.InfoAsync<ContainerInfoRow>(db, ContainerQueries.Info, tx).ConfigureAwait(false);
        if (info is null || info.IsDeleted)
        {
            throw DatabaseServerHttp.NotFound();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created container {Account}/{Container}")]
    private partial void LogCreated(string account, string container);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted container {Account}/{Container}")]
    private partial void LogDeleted(string account, string container);

    [LoggerMessage(Level = LogLevel.Information, Message = "Updated metadata of container {Account}/{Container} at {Timestamp}")]
    private partial void LogMetadata(string account, string container, string timestamp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container update {Op} {Account}/{Container}/{Object} refused in process: {Reason}")]
    private partial void LogLocalUpdateFailed(string op, string account, string container, string @object, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Object row {Name} at {Timestamp}, {Size} bytes")]
    private partial void LogObjectRow(string name, string timestamp, long size);
}
