using System.Globalization;
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
/// Swift's account server: one SQLite database per account under
/// <c>&lt;devices&gt;/&lt;device&gt;/accounts/&lt;partition&gt;/&lt;suffix&gt;/&lt;hash&gt;/&lt;hash&gt;.db</c>, holding the
/// account's metadata and a row per container (sent by container servers and updaters), and answering listings.
/// Routes: <c>/{device}/{partition}/{account}</c> and <c>/{device}/{partition}/{account}/{container}</c> (a container row).
/// </summary>
public sealed partial class AccountServer(SwiftStorageFlags flags, SwiftHash hash, TimeProvider clock, ILogger<AccountServer> log)
{
    private static readonly string[] Methods = ["GET", "HEAD", "PUT", "DELETE", "POST"];

    private static readonly string[] SystemMetadata = ["X-Account-Access-Control"];

    /// <summary>The HTTP endpoint of this server on the configured address and account port.</summary>
    public HttpServerOptions HttpOptions(string role) =>
        new(role, "swift-account-server", flags.SwiftStorageListen, flags.SwiftAccountPort, Map, ContainerServer.WriteError, PortFlag: "swift_account_port");

    /// <summary>Adds the account server's routes.</summary>
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // As in the container server: one route, paths split from the raw target, short paths answered 400.
        app.MapMethods("/{**path}", Methods, HandleAsync);
        new Replication.DatabaseReplicationEndpoint(flags, Replication.DatabaseKind.Account).Map(app);
    }

    private async Task HandleAsync(HttpContext context)
    {
        try
        {
            var path = ContainerRequestPath.Parse(context, 3, 4, restWithLast: false);
            var root = ContainerDrive.Resolve(flags, path.Device);
            var hex = hash.Hex(path.Account);
            var file = Path.Combine(root, "accounts", path.Partition, hex[^3..], hex, hex + ".db");
            var method = context.Request.Method;
            var task = path.Container is { } container
                ? method == "PUT"
                    ? PutContainerAsync(context, file, container)
                    : throw new ContainerHttpException(StatusCodes.Status405MethodNotAllowed, $"{method} is not allowed on a container row")
                : method switch
                {
                    "PUT" => PutAsync(context, file, path.Account),
                    "DELETE" => DeleteAsync(context, file, path.Account),
                    "POST" => PostAsync(context, file),
                    "HEAD" => HeadAsync(context, file),
                    _ => GetAsync(context, file, path.Account),
                };
            await task.ConfigureAwait(false);
        }
        catch (ContainerHttpException e)
        {
            await ContainerServer.WriteError(context, e.Status, e.Message).ConfigureAwait(false);
        }
    }

    private async Task PutAsync(HttpContext context, string file, string account)
    {
        var timestamp = ContainerServer.RequiredTimestamp(context.Request, "X-Timestamp");
        await using var db = SwiftDatabase.Open(file, create: true)!;
        using var tx = db.BeginTransaction();
        await db.ExecuteAsync(AccountQueries.Schema, transaction: tx).ConfigureAwait(false);
        var info = await db.QuerySingleOrDefaultAsync<AccountInfoRow>(AccountQueries.Info, transaction: tx).ConfigureAwait(false);
        if (info is { IsDeleted: true })
        {
            // Swift keeps a deleted account deleted until the reaper has emptied it and the database is gone.
            throw new ContainerHttpException(StatusCodes.Status403Forbidden, "Recently deleted");
        }
        var args = new { Account = account, Timestamp = timestamp, ContainerTimestamp.Zero };
        await db.ExecuteAsync(info is null ? AccountQueries.InsertInfo : AccountQueries.SetPutTimestamp, args, tx).ConfigureAwait(false);
        var metadata = ContainerMetadata.Merge(info?.Metadata ?? "{}", context.Request.Headers, "X-Account-Meta-", SystemMetadata);
        await db.ExecuteAsync(AccountQueries.SetMetadata, new { Metadata = metadata }, tx).ConfigureAwait(false);
        tx.Commit();
        if (info is null)
        {
            LogCreated(account);
        }
        context.Response.StatusCode = info is null ? StatusCodes.Status201Created : StatusCodes.Status202Accepted;
    }

    private async Task DeleteAsync(HttpContext context, string file, string account)
    {
        var timestamp = ContainerServer.RequiredTimestamp(context.Request, "X-Timestamp");
        await using var db = OpenExisting(file);
        using var tx = db.BeginTransaction();
        await LiveInfoAsync(db, tx).ConfigureAwait(false);
        // Unlike a container, an account is deleted with its containers in it: the reaper empties it afterwards.
        await db.ExecuteAsync(AccountQueries.SetDeleteTimestamp, new { Timestamp = timestamp }, tx).ConfigureAwait(false);
        tx.Commit();
        LogDeleted(account);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task PostAsync(HttpContext context, string file)
    {
        var timestamp = context.Request.Headers.ContainsKey("X-Timestamp")
            ? ContainerServer.RequiredTimestamp(context.Request, "X-Timestamp")
            : ContainerTimestamp.FromTime(clock.GetUtcNow());
        await using var db = OpenExisting(file);
        using var tx = db.BeginTransaction();
        var info = await LiveInfoAsync(db, tx).ConfigureAwait(false);
        var metadata = ContainerMetadata.Merge(info.Metadata, context.Request.Headers, "X-Account-Meta-", SystemMetadata);
        await db.ExecuteAsync(AccountQueries.SetMetadata, new { Metadata = metadata }, tx).ConfigureAwait(false);
        tx.Commit();
        LogMetadata(info.Account, timestamp);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task HeadAsync(HttpContext context, string file)
    {
        await using var db = OpenExisting(file);
        WriteInfoHeaders(context.Response, await LiveInfoAsync(db, null).ConfigureAwait(false));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task GetAsync(HttpContext context, string file, string account)
    {
        var query = ContainerListingQuery.Parse(context.Request);
        await using var db = OpenExisting(file);
        WriteInfoHeaders(context.Response, await LiveInfoAsync(db, null).ConfigureAwait(false));
        var rows = await ContainerListing.CollectAsync<AccountContainerRow>(query, db, AccountQueries.Listing).ConfigureAwait(false);
        await ContainerListing.WriteAsync(context, query, "account", account, rows).ConfigureAwait(false);
    }

    private async Task PutContainerAsync(HttpContext context, string file, string container)
    {
        var request = context.Request;
        var put = ContainerServer.RequiredTimestamp(request, "X-Put-Timestamp");
        var delete = request.Headers.ContainsKey("X-Delete-Timestamp")
            ? ContainerServer.RequiredTimestamp(request, "X-Delete-Timestamp")
            : ContainerTimestamp.Zero;
        var row = new
        {
            Name = container,
            PutTimestamp = put,
            DeleteTimestamp = delete,
            ObjectCount = Count(request, "X-Object-Count"),
            BytesUsed = Count(request, "X-Bytes-Used"),
            Deleted = string.CompareOrdinal(delete, put) > 0 ? 1 : 0,
        };
        await using var db = OpenExisting(file);
        using var tx = db.BeginTransaction();
        await LiveInfoAsync(db, tx).ConfigureAwait(false);
        await db.ExecuteAsync(AccountQueries.MergeContainer, row, tx).ConfigureAwait(false);
        tx.Commit();
        LogContainerRow(container, put, delete, row.ObjectCount, row.BytesUsed);
        context.Response.StatusCode = row.Deleted == 1 ? StatusCodes.Status204NoContent : StatusCodes.Status201Created;
    }

    private static long Count(HttpRequest request, string header)
    {
        var text = request.Headers[header].ToString();
        if (text.Length == 0)
        {
            return 0;
        }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ContainerHttpException(StatusCodes.Status400BadRequest, $"Invalid {header} header");
    }

    private static SqliteConnection OpenExisting(string file) =>
        SwiftDatabase.Open(file, create: false) ?? throw NotFound();

    private static async Task<AccountInfoRow> LiveInfoAsync(SqliteConnection db, SqliteTransaction? tx)
    {
        var info = await SwiftDatabase.InfoAsync<AccountInfoRow>(db, AccountQueries.Info, tx).ConfigureAwait(false);
        return info is null || info.IsDeleted ? throw NotFound() : info;
    }

    private static void WriteInfoHeaders(HttpResponse response, AccountInfoRow info)
    {
        var headers = response.Headers;
        headers["X-Account-Container-Count"] = info.ContainerCount.ToString(CultureInfo.InvariantCulture);
        headers["X-Account-Object-Count"] = info.ObjectCount.ToString(CultureInfo.InvariantCulture);
        headers["X-Account-Bytes-Used"] = info.BytesUsed.ToString(CultureInfo.InvariantCulture);
        headers["X-Timestamp"] = info.CreatedAt;
        headers["X-Put-Timestamp"] = info.PutTimestamp;
        ContainerMetadata.WriteHeaders(info.Metadata, headers);
    }

    private static ContainerHttpException NotFound() => new(StatusCodes.Status404NotFound, "Not Found");

    [LoggerMessage(Level = LogLevel.Information, Message = "Created account {Account}")]
    private partial void LogCreated(string account);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted account {Account}")]
    private partial void LogDeleted(string account);

    [LoggerMessage(Level = LogLevel.Information, Message = "Updated metadata of account {Account} at {Timestamp}")]
    private partial void LogMetadata(string account, string timestamp);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Container row {Name}: put {Put}, delete {Delete}, {Objects} objects, {Bytes} bytes")]
    private partial void LogContainerRow(string name, string put, string delete, long objects, long bytes);
}
