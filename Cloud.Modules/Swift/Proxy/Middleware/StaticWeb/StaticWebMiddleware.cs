using System.Net;
using System.Text.Json;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware.StaticWeb;

/// <summary>
/// swift's <c>staticweb</c>: for an anonymous GET/HEAD (a reader through a <c>.r:*</c> ACL), or an authenticated one
/// sending <c>X-Web-Mode: true</c>, a container with X-Container-Meta-Web-Index / -Web-Listings is served as a web
/// site: a directory path (without its trailing slash: 301 to it) answers its index object, else an HTML listing
/// (<see cref="StaticWebListingPage"/>); a 404 answers the <c>404&lt;Web-Error&gt;</c> object when there is one; an
/// object whose type is the Web-Directory-Type (application/directory) is a directory, not a file. It sits after the
/// container ACL check, so what it reads on the reader's behalf is what the ACL lets them read.
/// </summary>
public sealed class StaticWebMiddleware(SwiftRings rings, SwiftBackend backend, SwiftProxyAuthorizer authorizer) : ISwiftProxyMiddleware<SwiftProxyRequest>
{
    public const string FilterName = "staticweb";

    public async Task InvokeAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        var webMode = IsTrue(request.Context.Request.Headers["X-Web-Mode"].ToString());
        var anonymous = request.AccountRefusal is { Status: StatusCodes.Status401Unauthorized };
        if (request.Container is null || request.Method is not ("GET" or "HEAD") || !(anonymous || webMode))
        {
            await next(request).ConfigureAwait(false);
            return;
        }
        var info = await ProxyContainerInfo.GetAsync(rings, backend, request).ConfigureAwait(false);
        var site = new Site(info.MetaOf("web-index"), info.MetaOf("web-error"), info.MetaOf("web-listings"),
            info.MetaOf("web-listings-label"), info.MetaOf("web-listings-css"), info.MetaOf("web-directory-type"));
        await (request.Object is null ? ContainerAsync(request, next, info.Exists, site, webMode) : ObjectAsync(request, next, site)).ConfigureAwait(false);
    }

    private async Task ContainerAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next, bool exists, Site site, bool webMode)
    {
        if (!exists || (site.Listings.Length == 0 && site.Index.Length == 0))
        {
            await (exists && webMode ? SwiftProxyReply.ErrorAsync(request.Context, StatusCodes.Status404NotFound, "Not Found") : next(request)).ConfigureAwait(false);
            return;
        }
        if (!request.RawPath.EndsWith('/'))
        {
            await RedirectWithSlashAsync(request).ConfigureAwait(false);
            return;
        }
        if (site.Index.Length == 0)
        {
            await ListingAsync(request, site, "").ConfigureAwait(false);
            return;
        }
        var status = await HeadObjectAsync(request, site.Index).ConfigureAwait(false);
        await (status switch
        {
            404 => ListingAsync(request, site, ""),
            >= 200 and < 400 => next(request with { Object = site.Index }),
            _ => ErrorAsync(request, site, status, null),
        }).ConfigureAwait(false);
    }

    private async Task ObjectAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next, Site site)
    {
        if (site.Listings.Length == 0 && site.Index.Length == 0)
        {
            // Not a web site: swift answers the object as it is, directory markers included.
            await next(request).ConfigureAwait(false);
            return;
        }
        var obj = request.Object!;
        var (status, contentType, length) = await ProbeObjectAsync(request, obj).ConfigureAwait(false);
        if (status is >= 200 and < 400)
        {
            var directoryType = site.DirectoryType.Length > 0 ? site.DirectoryType : "application/directory";
            if (contentType != directoryType || length > 1)
            {
                await next(request).ConfigureAwait(false);
                return;
            }
            status = StatusCodes.Status404NotFound;
        }
        if (status != StatusCodes.Status404NotFound)
        {
            // swift uses error pages for 404s only; the object's own answer stands.
            await next(request).ConfigureAwait(false);
            return;
        }
        var slash = request.RawPath.EndsWith('/');
        if (site.Index.Length > 0)
        {
            var index = (obj.EndsWith('/') ? obj : obj + "/") + site.Index;
            if (await HeadObjectAsync(request, index).ConfigureAwait(false) is >= 200 and < 400)
            {
                await (slash ? next(request with { Object = index }) : RedirectWithSlashAsync(request)).ConfigureAwait(false);
                return;
            }
        }
        if (slash)
        {
            await ListingAsync(request, site, obj).ConfigureAwait(false);
            return;
        }
        var (listed, listing) = await ListAsync(request, $"?format=json&limit=1&delimiter=/&prefix={StaticWebListingPage.Quote(obj + "/")}").ConfigureAwait(false);
        await (listed == 200 && listing.GetArrayLength() > 0 ? RedirectWithSlashAsync(request) : ErrorAsync(request, site, StatusCodes.Status404NotFound, null)).ConfigureAwait(false);
    }

    private async Task ListingAsync(SwiftProxyRequest request, Site site, string prefix)
    {
        var label = Uri.UnescapeDataString(request.RawPath);
        if (site.Label.Length > 0)
        {
            label = $"{site.Label}/{string.Join('/', label.Split('/').Skip(4))}";
        }
        var css = site.Css.Length > 0 ? site.Css : null;
        if (!IsTrue(site.Listings))
        {
            await ErrorAsync(request, site, StatusCodes.Status404NotFound, StaticWebListingPage.Disabled(label, prefix, css, site.Index)).ConfigureAwait(false);
            return;
        }
        if (await authorizer.CheckSubrequestAsync(request, "GET", request.Container!, listing: true).ConfigureAwait(false) is { } refusal)
        {
            await ErrorAsync(request, site, refusal.Status, null).ConfigureAwait(false);
            return;
        }
        var (status, listing) = await ListAsync(request, "?format=json&delimiter=/" + (prefix.Length > 0 ? "&prefix=" + StaticWebListingPage.Quote(prefix) : "")).ConfigureAwait(false);
        if (status is < 200 or >= 300 || (prefix.Length > 0 && listing.GetArrayLength() == 0))
        {
            await ErrorAsync(request, site, status is < 200 or >= 300 ? status : StatusCodes.Status404NotFound, null).ConfigureAwait(false);
            return;
        }
        await HtmlAsync(request.Context, StatusCodes.Status200OK, StaticWebListingPage.Listing(label, prefix, css, listing)).ConfigureAwait(false);
    }

    /// <summary>
    /// swift's <c>_error_response</c>: the <c>&lt;status&gt;&lt;Web-Error&gt;</c> object's content under the error's
    /// status when the container has one, else <paramref name="page"/> (an HTML page) or swift's standard one.
    /// </summary>
    private async Task ErrorAsync(SwiftProxyRequest request, Site site, int status, string? page)
    {
        if (site.Error.Length > 0)
        {
            var ring = rings.Object;
            var name = $"{status}{site.Error}";
            var part = ring.GetPartition(request.Account, request.Container, name);
            var answer = await backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, request.Account, request.Container, name),
                request.Method, null, request.Aborted, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (answer is { IsSuccessStatusCode: true })
            {
                answer.StatusCode = (HttpStatusCode)status;
                await SwiftProxyReply.RelayAsync(request.Context, answer).ConfigureAwait(false);
                return;
            }
            answer?.Dispose();
        }
        await (page is null ? SwiftProxyReply.ErrorAsync(request.Context, status, "") : HtmlAsync(request.Context, status, page)).ConfigureAwait(false);
    }

    private static Task RedirectWithSlashAsync(SwiftProxyRequest request)
    {
        var context = request.Context;
        context.Response.Headers.Location = $"{context.Request.Scheme}://{context.Request.Host}{StaticWebListingPage.Quote(Uri.UnescapeDataString(request.RawPath) + "/")}";
        return SwiftProxyReply.ErrorAsync(context, StatusCodes.Status301MovedPermanently, "");
    }

    private async Task<int> HeadObjectAsync(SwiftProxyRequest request, string obj) => (await ProbeObjectAsync(request, obj).ConfigureAwait(false)).Status;

    /// <summary>HEADs an object of the request's container: its status (503 when no replica answered), type and length.</summary>
    private async Task<(int Status, string? ContentType, long Length)> ProbeObjectAsync(SwiftProxyRequest request, string obj)
    {
        var ring = rings.Object;
        var part = ring.GetPartition(request.Account, request.Container, obj);
        using var head = await backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, request.Account, request.Container, obj), "HEAD", null, request.Aborted).ConfigureAwait(false);
        return head is null
            ? (StatusCodes.Status503ServiceUnavailable, null, 0)
            : ((int)head.StatusCode, head.Content.Headers.ContentType?.ToString(), head.Content.Headers.ContentLength ?? 0);
    }

    /// <summary>The container's JSON listing for <paramref name="query"/>: its status and entries.</summary>
    private async Task<(int Status, JsonElement Listing)> ListAsync(SwiftProxyRequest request, string query)
    {
        var ring = rings.Container;
        var part = ring.GetPartition(request.Account, request.Container);
        using var answer = await backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, request.Account, request.Container) + query, "GET", null, request.Aborted).ConfigureAwait(false);
        if (answer is null)
        {
            return (StatusCodes.Status503ServiceUnavailable, default);
        }
        if (!answer.IsSuccessStatusCode)
        {
            return ((int)answer.StatusCode, default);
        }
        var body = await answer.Content.ReadAsByteArrayAsync(request.Aborted).ConfigureAwait(false);
        return ((int)answer.StatusCode, body.Length == 0 ? JsonDocument.Parse("[]").RootElement : JsonDocument.Parse(body).RootElement);
    }

    private static async Task HtmlAsync(HttpContext context, int status, string html)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(html);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=UTF-8";
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>swift's <c>config_true_value</c>.</summary>
    private static bool IsTrue(string value) => value.Trim().ToLowerInvariant() is "true" or "1" or "yes" or "on" or "t" or "y";

    /// <summary>The container's X-Container-Meta-Web-* settings.</summary>
    private sealed record Site(string Index, string Error, string Listings, string Label, string Css, string DirectoryType);
}
