using System.Globalization;
using Cloud.Modules.Kernel.IO;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy.Middleware.Symlink;
using Cloud.Modules.Swift.Proxy.Middleware.TempUrl;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// swift's <c>symlink</c>, last before the controllers: a zero-byte PUT with X-Symlink-Target (and optionally
/// X-Symlink-Target-Account, and X-Symlink-Target-Etag for a static link) stores a link, its target kept as system
/// metadata and in its listing row; GET and HEAD follow links (at most <see cref="SymloopMax"/> hops, each target
/// authorised as if the caller had asked for it), <c>?symlink=get</c> reads the link itself, a POST to a link is
/// applied to it and answered 307 with the target, and JSON listings show symlink_path (symlink_etag, symlink_bytes), XML ones only the link's own hash.
/// </summary>
public sealed class SymlinkMiddleware(SwiftBackend backend, SwiftProxyAuthorizer authorizer, ProxyContainerPolicy policies, ProxyObjectRead reads) : ISwiftProxyMiddleware<SwiftProxyRequest>
{
    public const string FilterName = "symlink";

    /// <summary>swift's default symloop_max: how many links one read may pass through.</summary>
    public const int SymloopMax = 2;

    /// <summary>What swift 2.30 advertises in /info.</summary>
    public static readonly Dictionary<string, object> Capabilities = new() { ["symloop_max"] = SymloopMax, ["static_links"] = true };

    private const string TargetFormError = "X-Symlink-Target header must be of the form <container name>/<object name>";

    public async Task InvokeAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        if (request.Container is null)
        {
            await next(request).ConfigureAwait(false);
            return;
        }
        if (request.Object is null)
        {
            await (request.Method == "GET" ? ListAsync(request, next) : next(request)).ConfigureAwait(false);
            return;
        }
        var context = request.Context;
        var showLink = QueryHelpers.ParseQuery(request.Query).TryGetValue("symlink", out var mode) && mode == "get";
        context.Response.OnStarting(() => ShowSysmeta(context.Response, showLink));
        switch (request.Method)
        {
            case "GET" or "HEAD" when !showLink:
                await FollowAsync(request, next).ConfigureAwait(false);
                return;
            case "PUT" when context.Request.Headers.ContainsKey(SymlinkHeaders.Target) && request.Copy is null:
                await PutAsync(request, next).ConfigureAwait(false);
                return;
            case "POST":
                await PostAsync(request, next).ConfigureAwait(false);
                return;
            default:
                await next(request).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>Reads through the links to the object they end at, and hands that read to the controller.</summary>
    private async Task FollowAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        // Most objects are no links: the client's own read tells (as swift's symlink looks at the GET's answer), and
        // goes on to the controller as is. Anything else takes the HEAD below, which is what it always did.
        using (var read = await PlainReadAsync(request).ConfigureAwait(false))
        {
            if (read is not null)
            {
                await next(request with { Read = read }).ConfigureAwait(false);
                return;
            }
        }
        var context = request.Context;
        var (account, container, obj) = (request.Account, request.Container!, request.Object!);
        string? expectedEtag = null;
        string? lastPath = null;
        for (var hops = 0; ; hops++)
        {
            using var head = await HeadAsync(account, container, obj, request.Aborted).ConfigureAwait(false);
            var target = head is { IsSuccessStatusCode: true } ? SymlinkHeaders.Of(head, SymlinkHeaders.SysmetaTarget) : null;
            var etag = head is { IsSuccessStatusCode: true } ? head.Headers.ETag?.Tag.Trim('"') : null;
            if (target is null)
            {
                if (etag is not null && expectedEtag is not null && etag != expectedEtag)
                {
                    await SymlinkReply.PlainAsync(context, StatusCodes.Status409Conflict,
                        $"Object Etag '{etag}' does not match X-Symlink-Target-Etag header '{expectedEtag}'", lastPath).ConfigureAwait(false);
                    return;
                }
                if (lastPath is not null)
                {
                    context.Response.Headers.ContentLocation = lastPath;
                }
                await next(request with { Account = account, Container = container, Object = obj }).ConfigureAwait(false);
                return;
            }
            var linkEtag = SymlinkHeaders.Of(head!, SymlinkHeaders.SysmetaTargetEtag);
            if (expectedEtag is not null && expectedEtag != (linkEtag ?? etag))
            {
                await SymlinkReply.PlainAsync(context, StatusCodes.Status409Conflict, "X-Symlink-Target-Etag headers do not match", lastPath).ConfigureAwait(false);
                return;
            }
            if (hops >= SymloopMax)
            {
                await SymlinkReply.PlainAsync(context, StatusCodes.Status409Conflict,
                    $"Too many levels of symbolic links, maximum allowed is {SymloopMax}").ConfigureAwait(false);
                return;
            }
            var quotedAccount = SymlinkHeaders.Of(head!, SymlinkHeaders.SysmetaTargetAccount) ?? Uri.EscapeDataString(account);
            lastPath = $"/v1/{quotedAccount}/{target.TrimStart('/')}";
            if (SymlinkHeaders.SplitTarget(target) is not { } named)
            {
                await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status404NotFound, "").ConfigureAwait(false);
                return;
            }
            (account, container, obj) = (Uri.UnescapeDataString(quotedAccount), named.Container, named.Object);
            expectedEtag = linkEtag;
            if (await AuthorizeAsync(request, request.Method, account, container).ConfigureAwait(false) is { } refusal)
            {
                await SwiftProxyReply.ErrorAsync(context, refusal.Status, refusal.Message).ConfigureAwait(false);
                return;
            }
        }
    }

    /// <summary>Checks and stores a link: a zero-byte object whose target goes to the object servers as system metadata.</summary>
    private async Task PutAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        var context = request.Context;
        var headers = context.Request.Headers;
        if (await HasBodyAsync(context.Request).ConfigureAwait(false))
        {
            await SymlinkReply.PlainAsync(context, StatusCodes.Status400BadRequest, "Symlink requests require a zero byte body").ConfigureAwait(false);
            return;
        }
        var rawTarget = Uri.UnescapeDataString(headers[SymlinkHeaders.Target].ToString());
        if (rawTarget.StartsWith('/') || SymlinkHeaders.SplitTarget(rawTarget, quoted: false) is not { } named)
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status412PreconditionFailed, TargetFormError).ConfigureAwait(false);
            return;
        }
        var account = request.Account;
        string? quotedAccount = null;
        if (headers.ContainsKey(SymlinkHeaders.TargetAccount))
        {
            account = Uri.UnescapeDataString(headers[SymlinkHeaders.TargetAccount].ToString());
            if (account.Length == 0 || account.Contains('/', StringComparison.Ordinal))
            {
                await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status412PreconditionFailed,
                    account.Length == 0 ? "Account name cannot be empty" : "Account name cannot contain slashes").ConfigureAwait(false);
                return;
            }
            quotedAccount = Quote(account);
        }
        if ((account, named.Container, named.Object) == (request.Account, request.Container, request.Object))
        {
            await SymlinkReply.PlainAsync(context, StatusCodes.Status400BadRequest, "Symlink cannot target itself").ConfigureAwait(false);
            return;
        }
        var etag = headers[SymlinkHeaders.TargetEtag].ToString().Trim('"');
        if (etag.IndexOfAny([';', '"', '\\']) >= 0)
        {
            await SymlinkReply.PlainAsync(context, StatusCodes.Status400BadRequest, $"Bad {SymlinkHeaders.TargetEtag} format").ConfigureAwait(false);
            return;
        }
        var quotedTarget = Quote($"{named.Container}/{named.Object}");
        var sysmeta = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [SymlinkHeaders.SysmetaTarget] = quotedTarget };
        var rowEtag = $"{SymlinkHeaders.EmptyEtag}; symlink_target={quotedTarget}";
        if (quotedAccount is not null)
        {
            sysmeta[SymlinkHeaders.SysmetaTargetAccount] = quotedAccount;
            rowEtag += $"; symlink_target_account={quotedAccount}";
        }
        if (etag.Length > 0)
        {
            var targetPath = $"/v1/{account}/{named.Container}/{named.Object}";
            if (await AuthorizeAsync(request, "HEAD", account, named.Container).ConfigureAwait(false) is { } refusal)
            {
                await SwiftProxyReply.ErrorAsync(context, refusal.Status, refusal.Message).ConfigureAwait(false);
                return;
            }
            using var target = await HeadAsync(account, named.Container, named.Object, request.Aborted).ConfigureAwait(false);
            if (target is null || (!target.IsSuccessStatusCode && target.StatusCode != System.Net.HttpStatusCode.NotFound))
            {
                await SwiftProxyReply.ErrorAsync(context, target is null ? StatusCodes.Status503ServiceUnavailable : (int)target.StatusCode, "").ConfigureAwait(false);
                return;
            }
            if (!target.IsSuccessStatusCode)
            {
                await SymlinkReply.PlainAsync(context, StatusCodes.Status409Conflict, "X-Symlink-Target does not exist", targetPath).ConfigureAwait(false);
                return;
            }
            var found = SymlinkHeaders.Of(target, SymlinkHeaders.SysmetaTargetEtag) ?? target.Headers.ETag?.Tag.Trim('"') ?? "";
            if (found != etag)
            {
                await SymlinkReply.PlainAsync(context, StatusCodes.Status409Conflict,
                    $"Object Etag '{found}' does not match X-Symlink-Target-Etag header '{etag}'", targetPath).ConfigureAwait(false);
                return;
            }
            var bytes = SymlinkHeaders.Of(target, "X-Object-Sysmeta-Slo-Size")
                ?? target.Content.Headers.ContentLength?.ToString(CultureInfo.InvariantCulture) ?? "0";
            sysmeta[SymlinkHeaders.SysmetaTargetEtag] = etag;
            sysmeta[SymlinkHeaders.SysmetaTargetBytes] = bytes;
            rowEtag += $"; symlink_target_etag={etag}; symlink_target_bytes={bytes}";
            if (string.IsNullOrEmpty(context.Request.ContentType))
            {
                context.Request.ContentType = target.Content.Headers.ContentType?.ToString() ?? SymlinkHeaders.ContentType;
            }
        }
        else if (string.IsNullOrEmpty(context.Request.ContentType))
        {
            context.Request.ContentType = SymlinkHeaders.ContentType;
        }
        sysmeta[SymlinkHeaders.RowEtagOverride] = rowEtag;
        await next(request with { BackendHeaders = sysmeta }).ConfigureAwait(false);
    }

    /// <summary>A POST is applied to a link as to any object, but its client is told (307) to POST to the target instead.</summary>
    private async Task PostAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        var context = request.Context;
        if (context.Request.Headers.ContainsKey(SymlinkHeaders.Target))
        {
            await SymlinkReply.PlainAsync(context, StatusCodes.Status400BadRequest, "A PUT request is required to set a symlink target").ConfigureAwait(false);
            return;
        }
        using var head = await HeadAsync(request.Account, request.Container!, request.Object!, request.Aborted).ConfigureAwait(false);
        if (head is not { IsSuccessStatusCode: true } || SymlinkHeaders.Of(head, SymlinkHeaders.SysmetaTarget) is not { } target)
        {
            await next(request).ConfigureAwait(false);
            return;
        }
        // The controller's own answer is replaced by the redirect, so it is written nowhere.
        var response = context.Response;
        var body = response.Body;
        response.Body = Stream.Null;
        try
        {
            await next(request).ConfigureAwait(false);
        }
        finally
        {
            response.Body = body;
        }
        var status = response.StatusCode;
        response.Clear();
        if (status is < 200 or > 299)
        {
            await SwiftProxyReply.ErrorAsync(context, status, "").ConfigureAwait(false);
            return;
        }
        var account = SymlinkHeaders.Of(head, SymlinkHeaders.SysmetaTargetAccount) ?? Uri.EscapeDataString(request.Account);
        response.Headers.Location = $"/v1/{account}/{target}";
        if (SymlinkHeaders.Of(head, SymlinkHeaders.SysmetaTargetEtag) is { } etag)
        {
            response.Headers[SymlinkHeaders.TargetEtag] = etag;
        }
        await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status307TemporaryRedirect,
            "The requested POST was applied to a symlink. POST directly to the target to apply requested metadata.").ConfigureAwait(false);
    }

    /// <summary>A JSON listing is read whole and its symlinks' rows rewritten; any other answer goes out as it came.</summary>
    private static async Task ListAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        var response = request.Context.Response;
        var body = response.Body;
        // A pooled buffer: a MemoryStream grew by doubling through the large object heap for each page of 1,000 rows
        // (MemoryStream.WriteAsync was 36 % of the proxy's samples in a paged listing: copies, page faults, zeroing).
        using var buffer = new PooledBufferWriter();
        response.Body = new BufferWriterStream(buffer);
        try
        {
            await next(request).ConfigureAwait(false);
        }
        finally
        {
            response.Body = body;
        }
        // The listing as written, without copying it out of the buffer.
        var bytes = buffer.Written;
        var type = response.ContentType ?? "";
        var rewritten = response.StatusCode != StatusCodes.Status200OK ? null
            : type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ? SymlinkListing.Rewrite(bytes.Span, Uri.EscapeDataString(request.Account))
            : type.StartsWith("application/xml", StringComparison.OrdinalIgnoreCase) || type.StartsWith("text/xml", StringComparison.OrdinalIgnoreCase) ? SymlinkListing.RewriteXml(bytes.Span)
            : null;
        if (rewritten is not null)
        {
            bytes = rewritten;
            response.ContentLength = bytes.Length;
        }
        if (bytes.Length > 0)
        {
            // An empty listing is a 204 (or a HEAD's), which may carry no body at all.
            await body.WriteAsync(bytes, request.Aborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Who may read a link's target: the same as for the target itself, had the caller asked for it (swift's
    /// sub-requests pass its authorize again), so a link never opens what its reader could not open directly.
    /// </summary>
    private async Task<(int Status, string Message)?> AuthorizeAsync(SwiftProxyRequest request, string method, string account, string container)
    {
        var context = request.Context;
        if (TempUrlGrant.Of(context) is { } grant)
        {
            return grant.Allows(account, container) ? null : (StatusCodes.Status401Unauthorized, "Unauthorized");
        }
        if (account == request.Account && request.OwnsAccount)
        {
            return null;
        }
        if (await authorizer.AuthorizeAccountAsync(context, account).ConfigureAwait(false) is not { } refusal)
        {
            return null;
        }
        return await authorizer.AclAllowsAsync(context, method, account, container, listing: false).ConfigureAwait(false) ? null : refusal;
    }

    /// <summary>
    /// The client's read of the object when it settles what following would: a 404 (no object, no link), or a
    /// success that is no link. Anything else (a link, a condition's 304 or 412 on the link itself, a failure) is
    /// disposed, and null says to follow with a HEAD.
    /// </summary>
    private async Task<HttpResponseMessage?> PlainReadAsync(SwiftProxyRequest request)
    {
        var read = await reads.SendAsync(request).ConfigureAwait(false);
        if (read is { StatusCode: System.Net.HttpStatusCode.NotFound }
            || (read is { IsSuccessStatusCode: true } && SymlinkHeaders.Of(read, SymlinkHeaders.SysmetaTarget) is null))
        {
            return read;
        }
        read?.Dispose();
        return null;
    }

    private async Task<HttpResponseMessage?> HeadAsync(string account, string container, string obj, CancellationToken cancellationToken)
    {
        var (ring, setup) = await policies.ReadOfAsync(account, container, cancellationToken).ConfigureAwait(false);
        var part = ring.GetPartition(account, container, obj);
        return await backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, account, container, obj), "HEAD", setup, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A client reading a link sees its target as X-Symlink-*; nobody sees the other system metadata.</summary>
    private static Task ShowSysmeta(HttpResponse response, bool showLink)
    {
        foreach (var (sysmeta, client) in SymlinkHeaders.Shown)
        {
            if (showLink && response.Headers.TryGetValue(sysmeta, out var value))
            {
                response.Headers[client] = value;
            }
        }
        foreach (var header in response.Headers.Keys.Where(h => h.StartsWith("X-Object-Sysmeta-", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            response.Headers.Remove(header);
        }
        return Task.CompletedTask;
    }

    private static async Task<bool> HasBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is { } length)
        {
            return length != 0;
        }
        var one = new byte[1];
        return await request.Body.ReadAsync(one, request.HttpContext.RequestAborted).ConfigureAwait(false) != 0;
    }

    /// <summary>swift's wsgi_quote: percent-encoding that keeps slashes.</summary>
    private static string Quote(string value) => TempUrlDisposition.Quote(value, "/");
}
