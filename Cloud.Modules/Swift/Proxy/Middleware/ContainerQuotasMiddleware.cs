using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// swift's <c>container_quotas</c>: a container's X-Container-Meta-Quota-Bytes / -Quota-Count (whole numbers, else 400)
/// cap what it may hold; an object PUT, or a copy into it (after <see cref="CopyMiddleware"/>, as in swift's pipeline),
/// that would pass either is refused with 413 "Upload exceeds quota.".
/// </summary>
public sealed class ContainerQuotasMiddleware(SwiftRings rings, SwiftBackend backend, ProxyInfoCache cache) : ISwiftProxyMiddleware<SwiftProxyRequest>
{
    public const string FilterName = "container_quotas";

    private const string BytesHeader = "X-Container-Meta-Quota-Bytes";

    private const string CountHeader = "X-Container-Meta-Quota-Count";

    public async Task InvokeAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        var context = request.Context;
        if (request.Container is not null && request.Object is null && request.Method is "PUT" or "POST")
        {
            if (!IsWholeOrEmpty(context.Request.Headers[BytesHeader].ToString()))
            {
                await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status400BadRequest, "Invalid bytes quota.").ConfigureAwait(false);
                return;
            }
            if (!IsWholeOrEmpty(context.Request.Headers[CountHeader].ToString()))
            {
                await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status400BadRequest, "Invalid count quota.").ConfigureAwait(false);
                return;
            }
        }
        else if (request.Object is not null && (request.Method == "PUT" || request.Copy is not null) && await ExceedsAsync(request).ConfigureAwait(false))
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status413RequestEntityTooLarge, ProxyAccountQuota.ExceededMessage).ConfigureAwait(false);
            return;
        }
        await next(request).ConfigureAwait(false);
    }

    private async Task<bool> ExceedsAsync(SwiftProxyRequest request)
    {
        using (var cached = await cache.ContainerAsync(request.Account, request.Container!, request.Aborted).ConfigureAwait(false))
        {
            if (cached is { IsSuccessStatusCode: true } && !cached.Headers.Contains(BytesHeader) && !cached.Headers.Contains(CountHeader))
            {
                // No quota set (the common case): the counts, which the cache does not keep current, are not needed.
                return false;
            }
        }
        var info = await ProxyContainerInfo.GetAsync(rings, backend, request).ConfigureAwait(false);
        if (!info.Exists)
        {
            return false;
        }
        var adding = request.Copy?.Length ?? request.Context.Request.ContentLength ?? 0;
        return (Quota(info, "quota-bytes") is { } bytes && info.BytesUsed + adding > bytes)
            || (Quota(info, "quota-count") is { } count && info.ObjectCount + 1 > count);
    }

    private static long? Quota(ProxyContainerInfo info, string name) =>
        info.Meta.TryGetValue(name, out var value) && value.Length > 0 && value.All(char.IsAsciiDigit) && long.TryParse(value, out var quota) ? quota : null;

    private static bool IsWholeOrEmpty(string value) => value.Length == 0 || value.All(char.IsAsciiDigit);
}
