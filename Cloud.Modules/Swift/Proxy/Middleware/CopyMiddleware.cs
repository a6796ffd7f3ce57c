using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy.LargeObjects;
using Cloud.Modules.Swift.Proxy.Middleware.Symlink;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// swift's <c>copy</c>: <c>COPY</c> with <c>Destination</c> (and <c>Destination-Account</c>), or <c>PUT</c> with
/// <c>X-Copy-From</c> (and <c>X-Copy-From-Account</c>), becomes a PUT of the destination whose body is the source's
/// (<see cref="SwiftProxyRequest.Copy"/>; a Range copies only those bytes). The caller needs read on the source and
/// write on the destination, each in its own account, as swift's GET and PUT sub-requests pass its auth middleware.
/// A large object is copied by <see cref="LargeObjectCopies"/>.
/// </summary>
public sealed class CopyMiddleware(SwiftRings rings, SwiftBackend backend, ProxyContainerPolicy policies, SwiftProxyAuthorizer authorizer,
    LargeObjectCopies largeObjects)
    : ISwiftProxyMiddleware<SwiftProxyRequest>
{
    /// <summary>Header a COPY names the destination's account with.</summary>
    public const string DestinationAccountHeader = "Destination-Account";

    /// <summary>Header a PUT names the source's account with.</summary>
    public const string CopyFromAccountHeader = "X-Copy-From-Account";

    public async Task InvokeAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        if (request.Object is null || !ProxyCopySource.IsCopy(request))
        {
            await next(request).ConfigureAwait(false);
            return;
        }
        var context = request.Context;
        var isCopy = request.Method == "COPY";
        var header = isCopy ? ProxyCopySource.DestinationHeader : ProxyCopySource.CopyFromHeader;
        if (ProxyCopySource.ParsePath(context.Request.Headers[header].ToString()) is not { } named)
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status412PreconditionFailed, $"{header} header must be of the form <container name>/<object name>").ConfigureAwait(false);
            return;
        }
        var otherAccount = request.Account;
        if (context.Request.Headers.TryGetValue(isCopy ? DestinationAccountHeader : CopyFromAccountHeader, out var accountHeader))
        {
            otherAccount = Uri.UnescapeDataString(accountHeader.ToString().Trim());
            if (otherAccount.Length == 0 || otherAccount.Contains('/', StringComparison.Ordinal))
            {
                await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status412PreconditionFailed,
                    otherAccount.Length == 0 ? "Account name cannot be empty" : "Account name cannot contain slashes").ConfigureAwait(false);
                return;
            }
        }
        var (source, target) = isCopy
            ? ((request.Account, request.Container!, request.Object), (otherAccount, named.Container, named.Object))
            : ((otherAccount, named.Container, named.Object), (request.Account, request.Container!, request.Object));
        if ((await authorizer.AuthorizeAsync(context, "GET", source.Item1, source.Item2, listing: false).ConfigureAwait(false)).Refusal is { } sourceRefusal)
        {
            await SwiftProxyReply.ErrorAsync(context, sourceRefusal.Status, sourceRefusal.Message).ConfigureAwait(false);
            return;
        }
        var copiesLink = QueryHelpers.ParseQuery(request.Query).TryGetValue("symlink", out var symlinkMode) && symlinkMode == "get";
        using var read = await FollowLinksAsync(request, source, copiesLink).ConfigureAwait(false);
        if (context.Response.HasStarted || context.Response.StatusCode >= 400)
        {
            return;
        }
        if (read is { StatusCode: System.Net.HttpStatusCode.RequestedRangeNotSatisfiable })
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status416RangeNotSatisfiable, "").ConfigureAwait(false);
            return;
        }
        if (read is not { IsSuccessStatusCode: true })
        {
            await SwiftProxyReply.ErrorAsync(context, read is null ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status404NotFound,
                read is null ? "Service Unavailable" : "Not Found").ConfigureAwait(false);
            return;
        }
        var ownsTarget = request.OwnsAccount;
        if (isCopy)
        {
            // A PUT's destination is its own path, authorised already; a COPY's is named by its headers.
            var targetAccess = await authorizer.AuthorizeAsync(context, "PUT", target.Item1, target.Item2, listing: false).ConfigureAwait(false);
            if (targetAccess.Refusal is { } targetRefusal)
            {
                await SwiftProxyReply.ErrorAsync(context, targetRefusal.Status, targetRefusal.Message).ConfigureAwait(false);
                return;
            }
            ownsTarget = targetAccess.Owner;
        }
        var destination = request with { Account = target.Item1, Container = target.Item2, Object = target.Item3, OwnsAccount = ownsTarget };
        if (ProxySloHandler.IsManifest(read) || ProxyDloHandler.ManifestOf(read) is not null)
        {
            // Its segments are read in the source's account, as the caller may there.
            await largeObjects.CopyAsync(request with { Account = source.Item1 }, destination, read, (source.Item2, source.Item3), next).ConfigureAwait(false);
            return;
        }
        await using var data = await read.Content.ReadAsStreamAsync(request.Aborted).ConfigureAwait(false);
        var copied = context.Response.Headers;
        copied["X-Copied-From"] = $"{Uri.EscapeDataString(source.Item2)}/{Uri.EscapeDataString(source.Item3)}";
        copied["X-Copied-From-Account"] = Uri.EscapeDataString(source.Item1);
        if (read.Content.Headers.LastModified is { } modified)
        {
            copied["X-Copied-From-Last-Modified"] = modified.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }
        await next(destination with
        {
            Copy = ProxyCopySource.From(read, data, context.Request),
            BackendHeaders = copiesLink && SymlinkCopy.TargetOf(read, source.Item1) is not null ? SymlinkCopy.LinkHeaders(read) : destination.BackendHeaders,
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// The source's GET (a Range on the copy copies that part, as swift's copy middleware does); through its links to
    /// the object they end at unless the link itself is copied. A refusal on the way is answered here (the response
    /// then has its status) and null returned.
    /// </summary>
    private async Task<HttpResponseMessage?> FollowLinksAsync(SwiftProxyRequest request, (string Account, string Container, string Object) source, bool copiesLink)
    {
        var context = request.Context;
        string? expectedEtag = null;
        for (var hops = 0; ; hops++)
        {
            var read = await ReadAsync(request, source).ConfigureAwait(false);
            if (read is not { IsSuccessStatusCode: true })
            {
                return read;
            }
            var etag = read.Headers.ETag?.Tag.Trim('"');
            if (copiesLink || SymlinkCopy.TargetOf(read, source.Account) is not { } target)
            {
                if (expectedEtag is not null && etag != expectedEtag)
                {
                    read.Dispose();
                    await SymlinkReply.PlainAsync(context, StatusCodes.Status409Conflict,
                        $"Object Etag '{etag}' does not match X-Symlink-Target-Etag header '{expectedEtag}'", null).ConfigureAwait(false);
                    return null;
                }
                return read;
            }
            read.Dispose();
            if (hops >= SymlinkMiddleware.SymloopMax)
            {
                await SymlinkReply.PlainAsync(context, StatusCodes.Status409Conflict,
                    $"Too many levels of symbolic links, maximum allowed is {SymlinkMiddleware.SymloopMax}", null).ConfigureAwait(false);
                return null;
            }
            if ((await authorizer.AuthorizeAsync(context, "GET", target.Account, target.Container, listing: false).ConfigureAwait(false)).Refusal is { } refusal)
            {
                await SwiftProxyReply.ErrorAsync(context, refusal.Status, refusal.Message).ConfigureAwait(false);
                return null;
            }
            (source, expectedEtag) = ((target.Account, target.Container, target.Object), target.Etag);
        }
    }

    private async Task<HttpResponseMessage?> ReadAsync(SwiftProxyRequest request, (string Account, string Container, string Object) source)
    {
        var policy = await policies.IndexOfAsync(source.Account, source.Container, request.Aborted).ConfigureAwait(false);
        var ring = rings.ObjectRing(policy);
        var part = ring.GetPartition(source.Account, source.Container, source.Object);
        return await backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, source.Account, source.Container, source.Object), "GET",
            m =>
            {
                SwiftProxyHeaders.Copy(request.Context.Request, m, null, ["Range"]);
                ProxyContainerPolicy.Name(m, policy);
            }, request.Aborted, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
    }
}
