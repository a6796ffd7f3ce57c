using System.Text.Json;
using Cloud.Modules.Swift.Proxy.Middleware.Versioning;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// swift's legacy <c>versioned_writes</c>. A container with <c>X-Versions-Location: &lt;archive&gt;</c> (stack mode)
/// keeps each overwritten object in the archive container as <c>&lt;len hex3&gt;&lt;name&gt;/&lt;timestamp&gt;</c>, and a
/// DELETE brings the newest archived version back; with <c>X-History-Location</c> (history mode) a DELETE archives the
/// object and a delete marker instead. The archive is written with sub-requests down the pipeline, already
/// authorised: the caller needs write access to the versioned container only, as in swift.
/// </summary>
public sealed class VersionedWritesMiddleware(IOptions<SwiftProxyFlags> flags, VersionCopies copies) : ISwiftProxyMiddleware<SwiftProxyRequest>
{
    /// <summary>swift's /info name.</summary>
    public const string FilterName = "versioned_writes";

    public const string VersionsLocation = "X-Versions-Location";

    public const string HistoryLocation = "X-History-Location";

    private const string RemoveVersions = "X-Remove-Versions-Location";

    private const string RemoveHistory = "X-Remove-History-Location";

    /// <summary>What /info advertises when allowed.</summary>
    public static IReadOnlyDictionary<string, object> Capabilities { get; } = new Dictionary<string, object>
    {
        ["allowed_flags"] = new[] { "x-versions-location", "x-history-location" },
    };

    private bool Allowed => flags.Value.SwiftAllowVersionedWrites;

    public async Task InvokeAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            if (request.Container is not null && request.Object is null)
            {
                await ContainerAsync(request, next).ConfigureAwait(false);
            }
            else if (request.Object is not null && (request.Copy is not null || request.Method is "PUT" or "DELETE"))
            {
                await ObjectAsync(request, next).ConfigureAwait(false);
            }
            else
            {
                await next(request).ConfigureAwait(false);
            }
        }
        catch (VersioningFailure failure)
        {
            await failure.WriteAsync(request.Context).ConfigureAwait(false);
        }
    }

    /// <summary>One location header at a time; setting one clears the other, an empty value or X-Remove-* clears both.</summary>
    private async Task ContainerAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        var headers = request.Context.Request.Headers;
        if (headers.ContainsKey(VersionsLocation) && headers.ContainsKey(HistoryLocation))
        {
            if (headers[HistoryLocation].ToString().Length == 0)
            {
                headers.Remove(HistoryLocation);
            }
            else if (headers[VersionsLocation].ToString().Length > 0)
            {
                await VersioningFailure.PlainAsync(request.Context, StatusCodes.Status400BadRequest,
                    "Only one of x-versions-location or x-history-location may be specified").ConfigureAwait(false);
                return;
            }
            else
            {
                headers.Remove(VersionsLocation);
            }
        }
        var chosen = headers.ContainsKey(VersionsLocation) ? VersionsLocation : headers.ContainsKey(HistoryLocation) ? HistoryLocation : null;
        var remove = !string.IsNullOrEmpty(headers[RemoveVersions]) || !string.IsNullOrEmpty(headers[RemoveHistory]);
        if (chosen is not null && headers[chosen].ToString() is { Length: > 0 } location)
        {
            if (!Allowed && request.Method is "PUT" or "POST")
            {
                await VersioningFailure.PlainAsync(request.Context, StatusCodes.Status412PreconditionFailed, "Versioned Writes is disabled").ConfigureAwait(false);
                return;
            }
            if (location.Contains('/', StringComparison.Ordinal))
            {
                await SwiftProxyReply.ErrorAsync(request.Context, StatusCodes.Status412PreconditionFailed, "Container name cannot contain slashes").ConfigureAwait(false);
                return;
            }
            headers[chosen == VersionsLocation ? HistoryLocation : VersionsLocation] = "";
            remove = false;
        }
        else if (chosen is not null)
        {
            remove = true;
        }
        if (remove)
        {
            headers[VersionsLocation] = "";
            headers[HistoryLocation] = "";
        }
        headers.Remove(RemoveVersions);
        headers.Remove(RemoveHistory);
        await next(request).ConfigureAwait(false);
    }

    private async Task ObjectAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        var (versions, history) = Allowed ? await LocationAsync(request).ConfigureAwait(false) : (null, false);
        if (versions is null)
        {
            await next(request).ConfigureAwait(false);
            return;
        }
        if (request.Method != "DELETE")
        {
            await CopyCurrentAsync(request, next, versions).ConfigureAwait(false);
            await next(request).ConfigureAwait(false);
        }
        else if (history)
        {
            await CopyCurrentAsync(request, next, versions).ConfigureAwait(false);
            var marker = await VersionCopies.PutDeleteMarkerAsync(request, next, versions, VersionNames.LegacyPrefix(request.Object!) + VersionNames.Now()).ConfigureAwait(false);
            VersioningFailure.ThrowUnlessSuccess(marker);
            await next(request).ConfigureAwait(false);
        }
        else
        {
            await PopAsync(request, next, versions).ConfigureAwait(false);
        }
    }

    /// <summary>The archive container (unquoted, up to any slash) and whether the mode is history; null when unversioned.</summary>
    private async Task<(string? Versions, bool History)> LocationAsync(SwiftProxyRequest request)
    {
        using var info = await copies.ContainerInfoAsync(request.Account, request.Container!, request.Aborted).ConfigureAwait(false);
        if (info is not { IsSuccessStatusCode: true })
        {
            return (null, false);
        }
        var (location, history) = VersionCopies.HeaderOf(info, VersionsLocation) is { Length: > 0 } stack ? (stack, false) : (VersionCopies.HeaderOf(info, HistoryLocation), true);
        return location is { Length: > 0 } ? (Uri.UnescapeDataString(location).Split('/')[0], history) : (null, false);
    }

    /// <summary>Archives the current object, if any, under its X-Timestamp.</summary>
    private async Task CopyCurrentAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next, string versions)
    {
        using var source = await copies.OpenAsync(request.Account, request.Container!, request.Object!, request.Aborted).ConfigureAwait(false);
        if (!VersionCopies.Found(source))
        {
            return;
        }
        var put = await VersionCopies.PutAsync(request, next, source!, versions, VersionNames.LegacyPrefix(request.Object!) + VersionCopies.TimestampOf(source!)).ConfigureAwait(false);
        VersioningFailure.ThrowUnlessSuccess(put);
    }

    /// <summary>
    /// Stack mode DELETE: the newest archived version replaces the object and leaves the archive. Past a delete marker
    /// (left by history mode) the object is restored only when it is gone, and the marker is what gets deleted.
    /// </summary>
    private async Task PopAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next, string versions)
    {
        var archived = await ListAsync(request, next, versions).ConfigureAwait(false);
        for (var i = 0; i < archived.Count; i++)
        {
            var (name, isMarker) = archived[i];
            if (isMarker)
            {
                var head = await ProxySubRequest.RunAsync(request, next, "HEAD", request.Container!, request.Object).ConfigureAwait(false);
                if (head.Status != StatusCodes.Status404NotFound)
                {
                    VersioningFailure.ThrowUnlessSuccess(head);
                    break;
                }
                foreach (var (older, olderIsMarker) in archived.Skip(i + 1))
                {
                    if (olderIsMarker)
                    {
                        break;
                    }
                    if (!await RestoreAsync(request, next, versions, older).ConfigureAwait(false))
                    {
                        continue;
                    }
                    var dropped = await ProxySubRequest.RunAsync(request, next, "DELETE", versions, older).ConfigureAwait(false);
                    if (dropped.Status != StatusCodes.Status404NotFound)
                    {
                        VersioningFailure.ThrowUnlessSuccess(dropped);
                    }
                    break;
                }
            }
            else if (!await RestoreAsync(request, next, versions, name).ConfigureAwait(false))
            {
                continue;
            }
            var answer = await ProxySubRequest.RunAsync(request, next, "DELETE", versions, name).ConfigureAwait(false);
            await VersioningFailure.RelayAsync(request.Context, answer).ConfigureAwait(false);
            return;
        }
        await next(request).ConfigureAwait(false);
    }

    /// <summary>The object's archived versions, newest first, and which are delete markers.</summary>
    private static async Task<List<(string Name, bool IsMarker)>> ListAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next, string versions)
    {
        var query = $"?format=json&reverse=on&prefix={Uri.EscapeDataString(VersionNames.LegacyPrefix(request.Object!))}";
        var listing = await ProxySubRequest.RunAsync(request, next, "GET", versions, null, query).ConfigureAwait(false);
        if (listing.Status == StatusCodes.Status404NotFound)
        {
            return [];
        }
        VersioningFailure.ThrowUnlessSuccess(listing);
        if (listing.Status == StatusCodes.Status204NoContent || listing.Body.Length == 0)
        {
            return [];
        }
        using var json = JsonDocument.Parse(listing.Body);
        return json.RootElement.EnumerateArray()
            .Where(item => item.TryGetProperty("name", out _))
            .Select(item => (item.GetProperty("name").GetString()!,
                item.TryGetProperty("content_type", out var type) && type.GetString() == VersionNames.DeleteMarkerContentType))
            .ToList();
    }

    /// <summary>Copies an archived version over the object; false when that version is gone.</summary>
    private async Task<bool> RestoreAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next, string versions, string archived)
    {
        using var source = await copies.OpenAsync(request.Account, versions, archived, request.Aborted).ConfigureAwait(false);
        if (!VersionCopies.Found(source))
        {
            return false;
        }
        var put = await VersionCopies.PutAsync(request, next, source!, request.Container!, request.Object!).ConfigureAwait(false);
        VersioningFailure.ThrowUnlessSuccess(put);
        return true;
    }
}
