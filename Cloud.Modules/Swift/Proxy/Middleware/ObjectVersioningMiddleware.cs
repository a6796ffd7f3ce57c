using Cloud.Modules.Swift.Proxy.Middleware.Versioning;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// swift's <c>object_versioning</c>: <c>X-Versions-Enabled: true</c> on a container creates its hidden versions
/// container <c>&lt;reserved&gt;versions&lt;reserved&gt;&lt;container&gt;</c> (<see cref="VersionNames.Reserved"/>); from then on an overwrite or a DELETE keeps the previous object there
/// as <c>&lt;name&gt;&lt;reserved&gt;&lt;inverted timestamp&gt;</c> (a DELETE also leaves a delete marker), every write answers its
/// <c>X-Object-Version-Id</c>, <c>?versions</c> lists all versions and <c>?version-id=</c> reads or deletes one.
/// Unlike swift, which keeps every version in the hidden container behind a symlink, the current version stays a plain
/// object of the container (cloudd has no symlinks yet): clients see the same API.
/// </summary>
public sealed class ObjectVersioningMiddleware(IOptions<SwiftProxyFlags> flags, VersionCopies copies) : ISwiftProxyMiddleware<SwiftProxyRequest>
{
    /// <summary>swift's /info name.</summary>
    public const string FilterName = "object_versioning";

    public const string EnabledHeader = "X-Versions-Enabled";

    public const string VersionIdHeader = "X-Object-Version-Id";

    /// <summary>Where the container keeps the flag (swift's sysmeta), stored by the container servers.</summary>
    public const string EnabledSysmeta = "X-Container-Sysmeta-Versions-Enabled";

    private const string VersionIdParameter = "version-id";

    /// <summary>What /info advertises when allowed: nothing but the name.</summary>
    public static IReadOnlyDictionary<string, object> Capabilities { get; } = new Dictionary<string, object>();

    private enum State
    {
        Never,
        Enabled,
        Disabled,
    }

    public async Task InvokeAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        if (request.Container is null || !flags.Value.SwiftAllowObjectVersioning)
        {
            await next(request).ConfigureAwait(false);
            return;
        }
        if (request.Container.Contains(VersionNames.Reserved, StringComparison.Ordinal) || request.Object?.Contains(VersionNames.Reserved, StringComparison.Ordinal) == true)
        {
            // The reserved namespace is the middleware's own: no client reaches a versions container directly.
            await SwiftProxyReply.ErrorAsync(request.Context, StatusCodes.Status412PreconditionFailed, "Invalid reserved-namespace name").ConfigureAwait(false);
            return;
        }
        try
        {
            await (request.Object is null ? ContainerAsync(request, next) : ObjectAsync(request, next)).ConfigureAwait(false);
        }
        catch (VersioningFailure failure)
        {
            await failure.WriteAsync(request.Context).ConfigureAwait(false);
        }
    }

    private async Task ContainerAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        var context = request.Context;
        context.Request.Headers.Remove(EnabledSysmeta);
        ShowEnabled(context);
        if (request.Method is "PUT" or "POST" && context.Request.Headers.ContainsKey(EnabledHeader))
        {
            await EnableAsync(request, next).ConfigureAwait(false);
        }
        else if (request.Method == "DELETE")
        {
            await DeleteContainerAsync(request, next).ConfigureAwait(false);
        }
        else if (request.Method == "GET" && Has(request.Query, "versions") && await StateAsync(request).ConfigureAwait(false) != State.Never)
        {
            await ListAsync(request, next).ConfigureAwait(false);
        }
        else
        {
            await next(request).ConfigureAwait(false);
        }
    }

    /// <summary>The stored flag reaches the client as X-Versions-Enabled, never as sysmeta.</summary>
    private static void ShowEnabled(HttpContext context) => context.Response.OnStarting(() =>
    {
        var headers = context.Response.Headers;
        if (headers.TryGetValue(EnabledSysmeta, out var value))
        {
            headers.Remove(EnabledSysmeta);
            headers[EnabledHeader] = value;
        }
        return Task.CompletedTask;
    });

    private async Task EnableAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        var context = request.Context;
        using (var info = await copies.ContainerAsync(request.Account, request.Container!, request.Aborted).ConfigureAwait(false))
        {
            if (VersionCopies.HeaderOf(info, VersionedWritesMiddleware.VersionsLocation) is { Length: > 0 } || VersionCopies.HeaderOf(info, VersionedWritesMiddleware.HistoryLocation) is { Length: > 0 })
            {
                await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status400BadRequest,
                    "Cannot enable object versioning on a container that is already using the legacy versioned writes feature.").ConfigureAwait(false);
                return;
            }
            if (VersionCopies.HeaderOf(info, "X-Container-Sync-To") is { Length: > 0 })
            {
                await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status400BadRequest,
                    "Cannot enable object versioning on a container configured as source of container syncing.").ConfigureAwait(false);
                return;
            }
        }
        var enabled = IsTrue(context.Request.Headers[EnabledHeader].ToString());
        context.Request.Headers[EnabledSysmeta] = enabled ? "True" : "False";
        var hidden = VersionNames.HiddenContainer(request.Container!);
        if (enabled)
        {
            var created = await ProxySubRequest.RunAsync(request, next, "PUT", hidden, null).ConfigureAwait(false);
            if (!created.IsSuccess)
            {
                await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "Error enabling object versioning").ConfigureAwait(false);
                return;
            }
        }
        await next(request).ConfigureAwait(false);
        if (enabled && context.Response.StatusCode is < 200 or >= 300)
        {
            // The container itself was not written (a POST to none): the versions container made for it goes too, as in swift.
            await ProxySubRequest.RunAsync(request, next, "DELETE", hidden, null).ConfigureAwait(false);
        }
    }

    /// <summary>A versioned container goes only once its versions are gone, and takes its versions container with it.</summary>
    private async Task DeleteContainerAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        var hidden = VersionNames.HiddenContainer(request.Container!);
        using (var info = await copies.ContainerAsync(request.Account, hidden, request.Aborted).ConfigureAwait(false))
        {
            if (info is { IsSuccessStatusCode: true })
            {
                if (VersionCopies.HeaderOf(info, "X-Container-Object-Count") is { } count && count != "0")
                {
                    await SwiftProxyReply.ErrorAsync(request.Context, StatusCodes.Status409Conflict, "Delete all versions before deleting container.").ConfigureAwait(false);
                    return;
                }
                var dropped = await ProxySubRequest.RunAsync(request, next, "DELETE", hidden, null).ConfigureAwait(false);
                if (!dropped.IsSuccess && dropped.Status != StatusCodes.Status404NotFound)
                {
                    throw new VersioningFailure(StatusCodes.Status503ServiceUnavailable, "Error deleting versioned container");
                }
            }
        }
        await next(request).ConfigureAwait(false);
    }

    private static async Task ListAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        var query = QueryHelpers.ParseQuery(request.Query);
        string Param(string name) => query.TryGetValue(name, out var v) ? v.ToString() : "";
        var limit = int.TryParse(Param("limit"), out var asked) && asked is > 0 and <= 10000 ? asked : 10000;
        var reverse = IsTrue(Param("reverse"));
        var prefix = Uri.EscapeDataString(Param("prefix"));
        // Both listings whole (up to a page of each): the marker and version_marker apply to the merged order.
        var current = await ProxySubRequest.RunAsync(request, next, "GET", request.Container!, null, $"?format=json&prefix={prefix}").ConfigureAwait(false);
        if (!current.IsSuccess)
        {
            await VersioningFailure.RelayAsync(request.Context, current).ConfigureAwait(false);
            return;
        }
        var versions = await ProxySubRequest.RunAsync(request, next, "GET", VersionNames.HiddenContainer(request.Container!), null, $"?format=json&prefix={prefix}")
            .ConfigureAwait(false);
        var body = VersionListing.Merge(current.Body, versions.IsSuccess ? versions.Body : null, reverse, limit, Param("marker"), Param("version_marker"));
        var response = request.Context.Response;
        foreach (var (name, value) in current.Headers.Where(h => h.Key.StartsWith("X-", StringComparison.OrdinalIgnoreCase)))
        {
            response.Headers[name] = value;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, request.Aborted).ConfigureAwait(false);
    }

    private async Task ObjectAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        var state = await StateAsync(request).ConfigureAwait(false);
        var query = QueryHelpers.ParseQuery(request.Query);
        var isPut = request.Copy is not null || request.Method == "PUT";
        if (query.TryGetValue(VersionIdParameter, out var asked))
        {
            await VersionAsync(request, next, state, asked.ToString(), isPut).ConfigureAwait(false);
            return;
        }
        if (state == State.Never)
        {
            await next(request).ConfigureAwait(false);
            return;
        }
        var context = request.Context;
        if (request.Method is "GET" or "HEAD")
        {
            context.Response.OnStarting(() =>
            {
                if (context.Response.StatusCode is >= 200 and < 300 && context.Response.Headers.TryGetValue("X-Timestamp", out var stamp))
                {
                    context.Response.Headers[VersionIdHeader] = VersionNames.Normalize(stamp.ToString()) ?? "null";
                }
                return Task.CompletedTask;
            });
            await next(request).ConfigureAwait(false);
        }
        else if (isPut && state == State.Enabled)
        {
            await ArchiveCurrentAsync(request, next).ConfigureAwait(false);
            var timestamp = SwiftBackend.NewTimestamp();
            context.Response.OnStarting(() =>
            {
                if (context.Response.StatusCode is >= 200 and < 300)
                {
                    context.Response.Headers[VersionIdHeader] = timestamp;
                }
                return Task.CompletedTask;
            });
            await next(request with { Timestamp = timestamp }).ConfigureAwait(false);
        }
        else if (request.Method == "DELETE" && state == State.Enabled)
        {
            await ArchiveCurrentAsync(request, next).ConfigureAwait(false);
            var marker = VersionNames.Now();
            VersioningFailure.ThrowUnlessSuccess(await VersionCopies.PutDeleteMarkerAsync(request, next, VersionNames.HiddenContainer(request.Container!),
                VersionNames.HiddenObject(request.Object!, marker)).ConfigureAwait(false));
            context.Response.Headers[VersionIdHeader] = marker;
            await next(request).ConfigureAwait(false);
        }
        else
        {
            await next(request).ConfigureAwait(false);
        }
    }

    /// <summary>A request on one version (<c>?version-id=</c>): GET, HEAD or DELETE only, on a versioned container.</summary>
    private async Task VersionAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next, State state, string asked, bool isPut)
    {
        var context = request.Context;
        if (isPut || request.Method is not ("GET" or "HEAD" or "DELETE"))
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status400BadRequest, $"{(isPut ? "PUT" : request.Method)} to a specific version is not allowed").ConfigureAwait(false);
            return;
        }
        if (state == State.Never && asked != "null")
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status400BadRequest, "version-aware operations require that the container is versioned").ConfigureAwait(false);
            return;
        }
        var version = asked == "null" ? "null" : VersionNames.Normalize(asked);
        if (version is null)
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status400BadRequest, "Invalid version parameter").ConfigureAwait(false);
            return;
        }
        var rest = WithoutVersionId(request.Query);
        context.Response.Headers[VersionIdHeader] = asked;
        if (version == "null" || await IsCurrentAsync(request, version).ConfigureAwait(false))
        {
            // The current version is the container's own object; deleting it leaves no marker and restores nothing.
            await next(request with { Query = rest }).ConfigureAwait(false);
            return;
        }
        var (hidden, name) = (VersionNames.HiddenContainer(request.Container!), VersionNames.HiddenObject(request.Object!, version));
        if (request.Method != "DELETE")
        {
            using var stored = await copies.OpenAsync(request.Account, hidden, name, request.Aborted).ConfigureAwait(false);
            if (!VersionCopies.Found(stored) || stored!.Content.Headers.ContentType?.ToString().Replace(" ", "", StringComparison.Ordinal) == VersionNames.DeleteMarkerContentType)
            {
                context.Response.Headers.Remove(VersionIdHeader);
                await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status404NotFound, "Not Found").ConfigureAwait(false);
                return;
            }
        }
        await next(request with { Container = hidden, Object = name, Query = rest }).ConfigureAwait(false);
    }

    /// <summary>Whether the container's object is the version <paramref name="version"/>.</summary>
    private async Task<bool> IsCurrentAsync(SwiftProxyRequest request, string version)
    {
        using var current = await copies.OpenAsync(request.Account, request.Container!, request.Object!, request.Aborted).ConfigureAwait(false);
        return current is { IsSuccessStatusCode: true } && VersionCopies.TimestampOf(current) == version;
    }

    /// <summary>Keeps the container's current object, if any, in the versions container under its version id.</summary>
    private async Task ArchiveCurrentAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        using var source = await copies.OpenAsync(request.Account, request.Container!, request.Object!, request.Aborted).ConfigureAwait(false);
        if (!VersionCopies.Found(source))
        {
            return;
        }
        var put = await VersionCopies.PutAsync(request, next, source!, VersionNames.HiddenContainer(request.Container!),
            VersionNames.HiddenObject(request.Object!, VersionCopies.TimestampOf(source!))).ConfigureAwait(false);
        if (put.Status == StatusCodes.Status404NotFound)
        {
            throw new VersioningFailure(StatusCodes.Status503ServiceUnavailable, "The versions container does not exist. You may want to re-enable object versioning.");
        }
        VersioningFailure.ThrowUnlessSuccess(put);
    }

    private async Task<State> StateAsync(SwiftProxyRequest request)
    {
        using var info = await copies.ContainerInfoAsync(request.Account, request.Container!, request.Aborted).ConfigureAwait(false);
        return VersionCopies.HeaderOf(info, EnabledSysmeta) switch
        {
            null or "" => State.Never,
            var value when IsTrue(value) => State.Enabled,
            _ => State.Disabled,
        };
    }

    private static string WithoutVersionId(string query)
    {
        var kept = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.Split('=')[0].Equals(VersionIdParameter, StringComparison.Ordinal));
        var joined = string.Join('&', kept);
        return joined.Length == 0 ? "" : "?" + joined;
    }

    private static bool Has(string query, string name) =>
        query.TrimStart('?').Split('&').Any(p => p.Split('=')[0] == name);

    // swift's config_true_value.
    private static bool IsTrue(string value) => value.Trim().ToLowerInvariant() is "true" or "1" or "yes" or "on" or "t" or "y";
}
