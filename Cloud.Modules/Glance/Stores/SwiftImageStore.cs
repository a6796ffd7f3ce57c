using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Glance.Stores;

/// <summary>
/// Images in one Swift container (glance_store's swift driver, single tenant, tempauth). An image of known size below
/// <c>swift_store_large_object_size</c> is one object; any other is written as segments <c>ID-00001</c>, <c>ID-00002</c>…
/// of <c>swift_store_large_object_chunk_size</c>, each streamed from the input as it arrives (chunked when the length
/// is unknown), then a dynamic large object manifest <c>ID</c> (<c>X-Object-Manifest: container/ID-</c>), as glance
/// does. The manifest goes last, so a broken upload never shows as an image; its segments are deleted.
/// </summary>
public sealed class SwiftImageStore : IImageStore
{
    private const long MiB = 1024 * 1024;
    private readonly SwiftStoreClient _swift;
    private readonly GlanceSwiftStoreFlags _flags;
    private readonly string _container;
    private readonly string _locationScheme;
    private readonly string _account;
    private volatile bool _containerSeen;

    /// <param name="flags">Endpoint, credentials, container and segment sizes.</param>
    /// <param name="http">Client for every request; its Timeout should be infinite, as segments take long (the store honours cancellation).</param>
    public SwiftImageStore(GlanceSwiftStoreFlags flags, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(flags);
        if (flags.SwiftStoreLargeObjectChunkSize <= 0 || flags.SwiftStoreLargeObjectSize <= 0)
        {
            throw CloudException.Invalid("swift_store_large_object_size and swift_store_large_object_chunk_size must be positive");
        }
        _flags = flags;
        _swift = new SwiftStoreClient(http, flags.SwiftStoreAuthAddress, flags.SwiftStoreUser, flags.SwiftStoreKey);
        _container = flags.SwiftStoreContainer;
        _locationScheme = flags.SwiftStoreAuthAddress.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? "swift+https" : "swift+http";
        _account = flags.SwiftStoreUser.Split(':')[0];
    }

    public string Scheme => "swift";

    public async Task<StoredImage> AddAsync(string imageId, Stream data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (imageId.Length == 0 || imageId.Contains('/', StringComparison.Ordinal))
        {
            throw CloudException.Invalid($"'{imageId}' cannot name a swift object");
        }
        await EnsureContainerAsync(ct).ConfigureAwait(false);
        using (var head = await _swift.SendAsync(HttpMethod.Head, ObjectPath(_container, imageId), ct).ConfigureAwait(false))
        {
            if (head.IsSuccessStatusCode)
            {
                throw CloudException.Conflict($"image {imageId} already has data in swift container {_container}");
            }
        }
        long? known = data.CanSeek ? data.Length - data.Position : null;
        var written = new List<string>();
        try
        {
            var size = known < _flags.SwiftStoreLargeObjectSize * MiB
                ? await PutObjectAsync(imageId, data, known.Value, written, ct).ConfigureAwait(false)
                : await PutLargeObjectAsync(imageId, data, written, ct).ConfigureAwait(false);
            return new StoredImage(new SwiftLocation(_locationScheme, _account, _container, imageId).ToString(), size);
        }
        catch
        {
            // The manifest is written last, so removing what was written leaves no trace of the image.
            foreach (var name in written)
            {
                await TryDeleteObjectAsync(_container, name).ConfigureAwait(false);
            }
            throw;
        }
    }

    public async Task<Stream> OpenAsync(string location, long offset, long? length, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var where = Locate(location);
        var path = ObjectPath(where.Container, where.Object);
        var range = length != 0 && (offset > 0 || length is not null) ? new RangeHeaderValue(offset, length is { } l ? offset + l - 1 : null) : null;
        var response = await GetAsync(length == 0 ? HttpMethod.Head : HttpMethod.Get, path, range, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // cloudd's proxy hands a Range on a large object to its empty manifest; the whole object is cut down here then.
            response.Dispose();
            response = await GetAsync(HttpMethod.Get, path, null, ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode && response.Content.Headers.ContentLength < offset)
            {
                response.Dispose();
                throw CloudException.Invalid($"range from byte {offset} is outside the image at {location}");
            }
        }
        try
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.NotFound:
                    throw CloudException.NotFound($"no image data at {location}");
                case HttpStatusCode.PartialContent:
                    return await SwiftObjectStream.OpenAsync(response, 0, length, ct).ConfigureAwait(false);
                case HttpStatusCode.OK when length == 0:
                    response.Dispose();
                    return new MemoryStream([], writable: false);
                case HttpStatusCode.OK:
                    return await SwiftObjectStream.OpenAsync(response, offset, length, ct).ConfigureAwait(false);
                default:
                    throw await _swift.FailureAsync(response, $"GET {location}", ct).ConfigureAwait(false);
            }
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task DeleteAsync(string location, CancellationToken ct)
    {
        var where = Locate(location);
        var path = ObjectPath(where.Container, where.Object);
        string? manifest;
        bool isStatic;
        using (var head = await _swift.SendAsync(HttpMethod.Head, path, ct).ConfigureAwait(false))
        {
            manifest = head.Headers.TryGetValues("X-Object-Manifest", out var values) ? values.First() : null;
            isStatic = head.Headers.TryGetValues("X-Static-Large-Object", out var marker) && marker.Any(v => v.Equals("true", StringComparison.OrdinalIgnoreCase));
        }
        // Segments first, so a delete that fails half-way can simply be repeated: the manifest still names them.
        // Segments of the store's own naming go too, as an interrupted upload may have left them without a manifest.
        var prefixes = new HashSet<string>(StringComparer.Ordinal) { $"{where.Container}/{where.Object}-" };
        if (manifest is not null)
        {
            prefixes.Add(Uri.UnescapeDataString(manifest.TrimStart('/')));
        }
        foreach (var prefix in prefixes)
        {
            var slash = prefix.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0)
            {
                await DeleteByPrefixAsync(prefix[..slash], prefix[(slash + 1)..], ct).ConfigureAwait(false);
            }
        }
        var query = isStatic ? "?multipart-manifest=delete" : "";
        using var response = await _swift.SendAsync(HttpMethod.Delete, path + query, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound)
        {
            throw await _swift.FailureAsync(response, $"DELETE {location}", ct).ConfigureAwait(false);
        }
    }

    /// <summary>Names of the objects in <paramref name="container"/> starting with <paramref name="prefix"/>, read page by page.</summary>
    public async Task<List<string>> ListAsync(string container, string prefix, CancellationToken ct)
    {
        var names = new List<string>();
        while (true)
        {
            var marker = names.Count == 0 ? "" : names[^1];
            using var page = await _swift.SendAsync(HttpMethod.Get,
                $"{SwiftStoreClient.Escape(container)}?format=json&prefix={Uri.EscapeDataString(prefix)}&marker={Uri.EscapeDataString(marker)}", ct).ConfigureAwait(false);
            if (page.StatusCode == HttpStatusCode.NotFound)
            {
                return names;
            }
            if (!page.IsSuccessStatusCode)
            {
                throw await _swift.FailureAsync(page, $"listing of container {container}", ct).ConfigureAwait(false);
            }
            var before = names.Count;
            if (page.StatusCode != HttpStatusCode.NoContent)
            {
                using var listing = JsonDocument.Parse(await page.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
                names.AddRange(listing.RootElement.EnumerateArray().Select(item => item.GetProperty("name").GetString()!));
            }
            if (names.Count == before)
            {
                return names;
            }
        }
    }

    private async Task<long> PutLargeObjectAsync(string imageId, Stream data, List<string> written, CancellationToken ct)
    {
        var chunk = _flags.SwiftStoreLargeObjectChunkSize * MiB;
        long total = 0;
        while (true)
        {
            var name = $"{imageId}-{written.Count + 1:D5}";
            var sent = await PutObjectAsync(name, data, null, written, ct, chunk).ConfigureAwait(false);
            total += sent;
            if (sent < chunk)
            {
                break;
            }
        }
        using var response = await _swift.SendAsync(HttpMethod.Put, ObjectPath(_container, imageId), ct, request =>
        {
            request.Content = new ByteArrayContent([]);
            request.Headers.TryAddWithoutValidation("X-Object-Manifest", $"{SwiftStoreClient.Escape(_container)}/{SwiftStoreClient.Escape(imageId)}-");
        }).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await _swift.FailureAsync(response, $"PUT of the manifest of image {imageId}", ct).ConfigureAwait(false);
        }
        written.Add(imageId);
        return total;
    }

    /// <summary>
    /// Streams the next bytes of <paramref name="data"/> (all <paramref name="length"/> of them, or at most
    /// <paramref name="limit"/>) into object <paramref name="name"/>; returns how many went, 0 when the input had ended.
    /// </summary>
    private async Task<long> PutObjectAsync(string name, Stream data, long? length, List<string> written, CancellationToken ct, long limit = long.MaxValue)
    {
        using var segment = length == 0 ? null : await SegmentReadStream.StartAsync(data, length ?? limit, ct).ConfigureAwait(false);
        if (segment is null && length is null)
        {
            return 0;
        }
        written.Add(name);
        HttpResponseMessage response;
        try
        {
            response = await _swift.SendAsync(HttpMethod.Put, ObjectPath(_container, name), request =>
            {
                // Disposing the request disposes the segment, which frees nothing: a resend after a 401 reuses it.
                request.Content = segment is null ? new ByteArrayContent([]) : new StreamContent(segment, 64 * 1024);
                request.Content.Headers.ContentLength = length;
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            }, () => segment?.TryRestart() ?? true, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        }
        catch (Exception) when (segment?.InputFailure is { } failure)
        {
            failure.Throw();
            throw;
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                // The container went away after it was seen; the next upload looks again (and creates it if allowed).
                _containerSeen = false;
                throw _flags.SwiftStoreCreateContainerOnPut
                    ? await _swift.FailureAsync(response, $"PUT of object {name}", ct).ConfigureAwait(false)
                    : MissingContainer();
            }
            if (!response.IsSuccessStatusCode)
            {
                throw await _swift.FailureAsync(response, $"PUT of object {name}", ct).ConfigureAwait(false);
            }
            var md5 = segment?.FinishMd5() ?? "d41d8cd98f00b204e9800998ecf8427e";
            var etag = response.Headers.ETag?.Tag.Trim('"') ?? (response.Headers.TryGetValues("Etag", out var e) ? e.First().Trim('"') : md5);
            if (!string.Equals(etag, md5, StringComparison.OrdinalIgnoreCase))
            {
                throw new IOException($"Swift stored object {name} with MD5 {etag}, but {md5} was sent");
            }
            return segment?.Sent ?? 0;
        }
    }

    private Task<HttpResponseMessage> GetAsync(HttpMethod method, string path, RangeHeaderValue? range, CancellationToken ct) =>
        _swift.SendAsync(method, path, request => request.Headers.Range = range, null, HttpCompletionOption.ResponseHeadersRead, ct);

    private async Task EnsureContainerAsync(CancellationToken ct)
    {
        if (_containerSeen)
        {
            return;
        }
        var path = SwiftStoreClient.Escape(_container);
        using (var head = await _swift.SendAsync(HttpMethod.Head, path, ct).ConfigureAwait(false))
        {
            if (head.IsSuccessStatusCode)
            {
                _containerSeen = true;
                return;
            }
            if (head.StatusCode != HttpStatusCode.NotFound)
            {
                throw await _swift.FailureAsync(head, $"HEAD of container {_container}", ct).ConfigureAwait(false);
            }
        }
        if (!_flags.SwiftStoreCreateContainerOnPut)
        {
            throw MissingContainer();
        }
        using var put = await _swift.SendAsync(HttpMethod.Put, path, ct, r => r.Content = new ByteArrayContent([])).ConfigureAwait(false);
        if (!put.IsSuccessStatusCode)
        {
            throw await _swift.FailureAsync(put, $"creation of container {_container}", ct).ConfigureAwait(false);
        }
        _containerSeen = true;
    }

    private ImageStoreUnavailableException MissingContainer() => new(
        $"swift container '{_container}' of account '{_account}' does not exist and swift_store_create_container_on_put is false: create the container or set the flag");

    private async Task DeleteByPrefixAsync(string container, string prefix, CancellationToken ct)
    {
        foreach (var name in await ListAsync(container, prefix, ct).ConfigureAwait(false))
        {
            using var response = await _swift.SendAsync(HttpMethod.Delete, ObjectPath(container, name), ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound)
            {
                throw await _swift.FailureAsync(response, $"DELETE of segment {container}/{name}", ct).ConfigureAwait(false);
            }
        }
    }

    private async Task TryDeleteObjectAsync(string container, string name)
    {
        try
        {
            using var response = await _swift.SendAsync(HttpMethod.Delete, ObjectPath(container, name), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or CloudException or TaskCanceledException)
        {
            // Best effort on a path that already fails: the caller sees the upload's own error; DeleteAsync sweeps the rest.
        }
    }

    private SwiftLocation Locate(string location)
    {
        var where = SwiftLocation.Parse(location);
        if (where.Account is { } account && !string.Equals(account, _account, StringComparison.Ordinal))
        {
            throw CloudException.Invalid($"image location {location} is in swift account '{account}', but this store uses '{_account}'");
        }
        return where;
    }

    private static string ObjectPath(string container, string name) => $"{SwiftStoreClient.Escape(container)}/{SwiftStoreClient.Escape(name)}";
}
