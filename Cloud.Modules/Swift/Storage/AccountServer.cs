using System.Globalization;
using Cloud.Modules.Kernel.Http;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Storage.Db;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Swift.Storage;

/// <summary>
/// Swift's account server: one SQLite database per account under
/// <c>&lt;devices&gt;/&lt;device&gt;/accounts/&lt;partition&gt;/&lt;suffix&gt;/&lt;hash&gt;/&lt;hash&gt;.db</c>, holding the
/// account's metadata and a row per container (sent by container servers and updaters), and answering listings.
/// Routes: <c>/{device}/{partition}/{account}</c> and <c>/{device}/{partition}/{account}/{container}</c> (a container row).
/// </summary>
public sealed partial class AccountServer(SwiftStorageFlags flags, SwiftHash hash, Microsoft.Extensions.Options.IOptions<SwiftRingFlags> ringFlags, TimeProvider clock,
    ILogger<AccountServer> log)
    : DatabaseServer<AccountInfoRow>(flags, clock, Replication.DatabaseKind.Account)
{
    private readonly SwiftStoragePolicies _policies = ringFlags.Value.Policies;

    /// <summary>The HTTP endpoint of this server on the configured address and account port.</summary>
    public HttpServerOptions HttpOptions(string role) =>
        HttpOptionsOn(role, "swift-account-server", Flags.SwiftAccountPort, "swift_account_port");

    private protected override ContainerRequestPath ParsePath(HttpContext context) => ContainerRequestPath.Parse(context, 3, 4, restWithLast: false);

    private protected override string HashOf(ContainerRequestPath path) => hash.Hex(path.Account);

    private protected override Task ServeAsync(HttpContext context, ContainerRequestPath path, string file)
    {
        var method = context.Request.Method;
        return path.Container is { } container
            ? method == "PUT"
                ? PutContainerAsync(context, file, container)
                : throw new ContainerHttpException(StatusCodes.Status405MethodNotAllowed, $"{method} is not allowed on a container row")
            : method switch
            {
                "PUT" => PutAsync(context, file, path.Account),
                "DELETE" => DeleteAccountAsync(context, file, path.Account),
                "POST" => PostAsync(context, file),
                "HEAD" => HeadAsync(context, file),
                _ => ListAsync(context, file, path.Account, AccountQueries.Listing),
            };
    }

    private protected override void LogMetadataUpdated(AccountInfoRow info, string timestamp) => LogMetadata(info.Account, timestamp);

    private protected override void WriteInfoHeaders(IHeaderDictionary headers, AccountInfoRow info)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(info);
        headers["X-Account-Container-Count"] = info.ContainerCount.ToString(CultureInfo.InvariantCulture);
        base.WriteInfoHeaders(headers, info);
    }

    /// <summary>
    /// swift's <c>X-Account-Storage-Policy-&lt;name&gt;-Container-Count / -Object-Count / -Bytes-Used</c>, one set per
    /// policy any of the account's containers was reported with (a policy the cluster no longer has is left out).
    /// </summary>
    private protected override async Task WriteStatsHeadersAsync(IHeaderDictionary headers, Microsoft.Data.Sqlite.SqliteConnection db)
    {
        foreach (var stat in await db.QueryAsync<AccountPolicyStat>(AccountQueries.PolicyStats).ConfigureAwait(false))
        {
            if (_policies.ByIndex(stat.PolicyIndex) is not { } policy)
            {
                continue;
            }
            var prefix = "X-Account-Storage-Policy-" + PythonStrings.Title(policy.Name) + "-";
            headers[prefix + "Container-Count"] = stat.ContainerCount.ToString(CultureInfo.InvariantCulture);
            headers[prefix + "Object-Count"] = stat.ObjectCount.ToString(CultureInfo.InvariantCulture);
            headers[prefix + "Bytes-Used"] = stat.BytesUsed.ToString(CultureInfo.InvariantCulture);
        }
    }

    private async Task PutAsync(HttpContext context, string file, string account)
    {
        var timestamp = DatabaseServerHttp.RequiredTimestamp(context.Request, "X-Timestamp");
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
        var metadata = ContainerMetadata.Merge(info?.Metadata ?? "{}", context.Request.Headers, MetadataPrefix, Kind.SystemMetadata);
        await db.ExecuteAsync(AccountQueries.SetMetadata, new { Metadata = metadata }, tx).ConfigureAwait(false);
        tx.Commit();
        if (info is null)
        {
            LogCreated(account);
        }
        context.Response.StatusCode = info is null ? StatusCodes.Status201Created : StatusCodes.Status202Accepted;
    }

    private async Task DeleteAccountAsync(HttpContext context, string file, string account)
    {
        // Unlike a container, an account is deleted with its containers in it: the reaper empties it afterwards.
        await DeleteAsync(context, file).ConfigureAwait(false);
        LogDeleted(account);
    }

    private async Task PutContainerAsync(HttpContext context, string file, string container)
    {
        var request = context.Request;
        var put = DatabaseServerHttp.RequiredTimestamp(request, "X-Put-Timestamp");
        var delete = request.Headers.ContainsKey("X-Delete-Timestamp")
            ? DatabaseServerHttp.RequiredTimestamp(request, "X-Delete-Timestamp")
            : ContainerTimestamp.Zero;
        var row = new
        {
            Name = container,
            PutTimestamp = put,
            DeleteTimestamp = delete,
            ObjectCount = Count(request, "X-Object-Count"),
            BytesUsed = Count(request, "X-Bytes-Used"),
            Deleted = string.CompareOrdinal(delete, put) > 0 ? 1 : 0,
            // The container server names its policy (swift's X-Backend-Storage-Policy-Index); older reporters do not: 0.
            StoragePolicyIndex = StoragePolicyIndex.Of(request.Headers)
                ?? throw new ContainerHttpException(StatusCodes.Status400BadRequest, $"Invalid {SwiftStoragePolicies.IndexHeader}"),
        };
        await using var db = DatabaseServerHttp.OpenExisting(file);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Created account {Account}")]
    private partial void LogCreated(string account);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted account {Account}")]
    private partial void LogDeleted(string account);

    [LoggerMessage(Level = LogLevel.Information, Message = "Updated metadata of account {Account} at {Timestamp}")]
    private partial void LogMetadata(string account, string timestamp);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Container row {Name}: put {Put}, delete {Delete}, {Objects} objects, {Bytes} bytes")]
    private partial void LogContainerRow(string name, string put, string delete, long objects, long bytes);
}
