using System.Globalization;
using Cloud.Modules.Kernel.Http;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Storage.DiskFile;
using Cloud.Modules.Swift.Storage.Replication;
using Cloud.Modules.Swift.Storage.Updater;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Swift.Storage;

/// <summary>
/// Swift's object server (swift-object-server): stores object content and metadata on the local devices under
/// <c>/device/partition/account/container/object</c>. Proxies talk to it; every write carries the proxy's
/// X-Timestamp and the newest timestamp wins. Errors are text/plain, as Swift's are.
/// </summary>
public sealed partial class ObjectServer(
    SwiftStorageFlags flags, SwiftHash hash, TimeProvider clock, IDiskFileFactory diskFiles, ContainerUpdateSender containers, ObjectReplicationEndpoint replication, ILogger<ObjectServer> log)
{
    /// <summary>Swift's largest object (<c>MAX_FILE_SIZE</c>, 5 GiB + 2 bytes): the body limit for the object server's <see cref="Kernel.Http.HttpServerOptions"/>.</summary>
    public const long MaxObjectBytes = (5L << 30) + 2;

    // Headers a client may set on an object besides X-Object-Meta-* (swift's allowed_headers).
    private static readonly string[] AllowedHeaders = ["Content-Disposition", "Content-Encoding", "X-Delete-At", "X-Static-Large-Object", "X-Object-Manifest"];

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapMethods("/{**path}", ["PUT", "GET", "HEAD", "DELETE", "POST"], HandleAsync);
        replication.Map(app);
    }

    /// <summary>Writes an error as Swift does (<see cref="SwiftErrorPage"/>; no body for HEAD).</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string message) => SwiftErrorPage.WriteAsync(context, status, message);

    private async Task HandleAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        if (!ObjectPath.TryParse(raw, out var path, out var error))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, error).ConfigureAwait(false);
            return;
        }
        var device = Path.Combine(flags.SwiftDevices, path!.Device);
        if (!DeviceIsUsable(device))
        {
            LogDeviceUnavailable(path.Device);
            await WriteErrorAsync(context, StatusCodes.Status507InsufficientStorage, $"{path.Device} is not mounted").ConfigureAwait(false);
            return;
        }
        var hex = hash.Hex(path.Account, path.Container, path.Object);
        var file = diskFiles.Open(device, path.Partition, hex);
        var request = context.Request;
        var task = request.Method switch
        {
            "PUT" => PutAsync(context, path, file, device, hex),
            "GET" or "HEAD" => GetAsync(context, file),
            "DELETE" => DeleteAsync(context, path, file, device, hex),
            _ => PostAsync(context, file),
        };
        await task.ConfigureAwait(false);
    }

    private async Task PutAsync(HttpContext context, ObjectPath path, IDiskFile file, string device, string hex)
    {
        var request = context.Request;
        if (!TryTimestamp(request, out var timestamp, out var error))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, error).ConfigureAwait(false);
            return;
        }
        if (ObjectMetadataRules.TryRead(request.Headers, out var metadata) is { } metadataError)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, metadataError).ConfigureAwait(false);
            return;
        }
        if (request.ContentLength is null && !request.Headers.TransferEncoding.ToString().Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            await WriteErrorAsync(context, StatusCodes.Status411LengthRequired, "Missing Content-Length or Transfer-Encoding: chunked").ConfigureAwait(false);
            return;
        }
        if (request.Headers.TryGetValue("X-Delete-At", out var deleteAt) && (!long.TryParse(deleteAt, NumberStyles.None, CultureInfo.InvariantCulture, out var at) || at <= clock.GetUtcNow().ToUnixTimeSeconds()))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "X-Delete-At in past or not an integer").ConfigureAwait(false);
            return;
        }
        var current = file.Read();
        if (current.Timestamp is not null && SwiftTimestamp.Compare(current.Timestamp, timestamp) >= 0)
        {
            context.Response.Headers["X-Backend-Timestamp"] = current.Timestamp;
            await WriteErrorAsync(context, StatusCodes.Status409Conflict, "An object with the same or a newer timestamp exists").ConfigureAwait(false);
            return;
        }
        if (request.Headers.IfNoneMatch.ToString().Trim() == "*" && current.Exists)
        {
            await WriteErrorAsync(context, StatusCodes.Status412PreconditionFailed, "The object exists").ConfigureAwait(false);
            return;
        }
        await using var writer = file.CreateWriter();
        var (etag, length) = await writer.WriteAsync(request.Body, context.RequestAborted).ConfigureAwait(false);
        var expected = request.Headers.ETag.ToString();
        if (expected.Length > 0 && !string.Equals(Unquote(expected), etag, StringComparison.OrdinalIgnoreCase))
        {
            await WriteErrorAsync(context, StatusCodes.Status422UnprocessableEntity, "Unprocessable Entity: the ETag does not match the MD5 of the body").ConfigureAwait(false);
            return;
        }
        metadata["name"] = path.Name;
        metadata["X-Timestamp"] = timestamp;
        metadata["Content-Type"] = request.ContentType is { Length: > 0 } type ? type : "application/octet-stream";
        metadata["Content-Length"] = length.ToString(CultureInfo.InvariantCulture);
        metadata["ETag"] = etag;
        foreach (var header in AllowedHeaders)
        {
            if (request.Headers.TryGetValue(header, out var value))
            {
                metadata[header] = value.ToString();
            }
        }
        foreach (var (header, value) in request.Headers.Where(h => ObjectMetadataRules.IsSysmeta(h.Key)))
        {
            // The middlewares' own metadata (symlink targets...), kept with the data as swift's object server keeps it.
            metadata[ObjectMetadataRules.TitleCase(header)] = value.ToString();
        }
        try
        {
            writer.Commit(timestamp, metadata);
        }
        catch (MetadataTooLargeException e)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, e.Message).ConfigureAwait(false);
            return;
        }
        var headers = request.Headers;
        await containers.SendAsync(headers, device, hex, new ContainerUpdate("PUT", path.Account, path.Container, path.Object, new Dictionary<string, string>
        {
            ["X-Timestamp"] = timestamp,
            ["X-Size"] = headers.TryGetValue(ContainerUpdateSender.OverrideSizeHeader, out var size) ? size.ToString() : metadata["Content-Length"],
            ["X-Content-Type"] = metadata["Content-Type"],
            ["X-Etag"] = headers.TryGetValue(ContainerUpdateSender.OverrideEtagHeader, out var rowEtag) ? rowEtag.ToString() : etag,
        })).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.ETag = Quote(etag);
    }

    private async Task GetAsync(HttpContext context, IDiskFile file)
    {
        var state = file.Read();
        if (!state.Exists || IsExpired(state))
        {
            await NotFoundAsync(context, state).ConfigureAwait(false);
            return;
        }
        Stream data;
        try
        {
            data = file.OpenData(state);
        }
        catch (FileNotFoundException)
        {
            // Superseded between Read and open: answer from the newer state.
            await GetAsync(context, file).ConfigureAwait(false);
            return;
        }
        await using (data.ConfigureAwait(false))
        {
            var response = context.Response;
            var metadata = state.Metadata;
            var etag = metadata.GetValueOrDefault("ETag", "");
            var size = data.Length;
            response.Headers.ETag = Quote(etag);
            response.Headers["X-Timestamp"] = state.MetadataTimestamp;
            response.Headers.LastModified = SwiftTimestamp.ToHttpDate(state.MetadataTimestamp!);
            response.Headers.AcceptRanges = "bytes";
            foreach (var (key, value) in metadata)
            {
                if (FsDiskFile.IsUserMetadata(key) || ObjectMetadataRules.IsSysmeta(key) || AllowedHeaders.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    response.Headers[key] = value;
                }
            }
            var request = context.Request;
            var ifMatch = request.Headers.IfMatch.ToString();
            if (ifMatch.Length > 0 && !EtagListMatches(ifMatch, etag))
            {
                await WriteErrorAsync(context, StatusCodes.Status412PreconditionFailed, "Precondition Failed").ConfigureAwait(false);
                return;
            }
            var ifNoneMatch = request.Headers.IfNoneMatch.ToString();
            if (ifNoneMatch.Length > 0 && EtagListMatches(ifNoneMatch, etag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            response.ContentType = metadata.GetValueOrDefault("Content-Type", "application/octet-stream");
            var offset = 0L;
            var count = size;
            if (ByteRange.TryParse(request.Headers.Range.ToString(), size, out var range))
            {
                if (range is null)
                {
                    response.Headers.ContentRange = $"bytes */{size}";
                    await WriteErrorAsync(context, StatusCodes.Status416RangeNotSatisfiable, "Requested Range Not Satisfiable").ConfigureAwait(false);
                    return;
                }
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.Headers.ContentRange = $"bytes {range.Start}-{range.End}/{size}";
                (offset, count) = (range.Start, range.Length);
            }
            response.ContentLength = count;
            if (HttpMethods.IsHead(request.Method))
            {
                return;
            }
            data.Seek(offset, SeekOrigin.Begin);
            await CopyAsync(data, response.Body, count, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task DeleteAsync(HttpContext context, ObjectPath path, IDiskFile file, string device, string hex)
    {
        if (!TryTimestamp(context.Request, out var timestamp, out var error))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, error).ConfigureAwait(false);
            return;
        }
        var current = file.Read();
        if (current.Exists && SwiftTimestamp.Compare(current.Timestamp!, timestamp) >= 0)
        {
            context.Response.Headers["X-Backend-Timestamp"] = current.Timestamp;
            await WriteErrorAsync(context, StatusCodes.Status409Conflict, "An object with the same or a newer timestamp exists").ConfigureAwait(false);
            return;
        }
        // A tombstone is recorded even for a missing object, so a PUT older than this DELETE arriving late loses.
        if (current.Timestamp is null || SwiftTimestamp.Compare(current.Timestamp, timestamp) < 0)
        {
            file.WriteTombstone(timestamp);
            await containers.SendAsync(context.Request.Headers, device, hex, new ContainerUpdate("DELETE", path.Account, path.Container, path.Object,
                new Dictionary<string, string> { ["X-Timestamp"] = timestamp })).ConfigureAwait(false);
        }
        var newest = current.Timestamp is not null && SwiftTimestamp.Compare(current.Timestamp, timestamp) > 0 ? current.Timestamp : timestamp;
        context.Response.Headers["X-Backend-Timestamp"] = newest;
        if (current.Exists && !IsExpired(current))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        await WriteErrorAsync(context, StatusCodes.Status404NotFound, "Not Found").ConfigureAwait(false);
    }

    private async Task PostAsync(HttpContext context, IDiskFile file)
    {
        var request = context.Request;
        if (!TryTimestamp(request, out var timestamp, out var error))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, error).ConfigureAwait(false);
            return;
        }
        if (ObjectMetadataRules.TryRead(request.Headers, out var metadata) is { } metadataError)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, metadataError).ConfigureAwait(false);
            return;
        }
        var current = file.Read();
        if (!current.Exists || IsExpired(current))
        {
            await NotFoundAsync(context, current).ConfigureAwait(false);
            return;
        }
        if (SwiftTimestamp.Compare(current.MetadataTimestamp!, timestamp) >= 0)
        {
            context.Response.Headers["X-Backend-Timestamp"] = current.MetadataTimestamp;
            await WriteErrorAsync(context, StatusCodes.Status409Conflict, "The metadata has the same or a newer timestamp").ConfigureAwait(false);
            return;
        }
        try
        {
            file.WriteMetadata(timestamp, metadata);
        }
        catch (MetadataTooLargeException e)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, e.Message).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private static Task NotFoundAsync(HttpContext context, DiskFileState state)
    {
        if (state.Timestamp is not null)
        {
            context.Response.Headers["X-Backend-Timestamp"] = state.Timestamp;
        }
        return WriteErrorAsync(context, StatusCodes.Status404NotFound, "Not Found");
    }

    private static bool TryTimestamp(HttpRequest request, out string timestamp, out string error)
    {
        var raw = request.Headers["X-Timestamp"].ToString();
        error = raw.Length == 0 ? "Missing X-Timestamp header" : $"X-Timestamp should be a UNIX timestamp float value; was {raw}";
        return SwiftTimestamp.TryNormalize(raw, out timestamp);
    }

    private bool IsExpired(DiskFileState state) =>
        state.Metadata.TryGetValue("X-Delete-At", out var at)
        && long.TryParse(at, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && seconds <= clock.GetUtcNow().ToUnixTimeSeconds();

    private bool DeviceIsUsable(string device) =>
        Directory.Exists(device) && (!flags.SwiftMountCheck || MountPoints.IsMountPoint(device));

    private static async Task CopyAsync(Stream from, Stream to, long count, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (count > 0)
        {
            var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            count -= read;
        }
    }

    private static bool EtagListMatches(string header, string etag) =>
        header.Split(',').Select(e => e.Trim()).Any(e => e == "*" || string.Equals(Unquote(e), etag, StringComparison.OrdinalIgnoreCase));

    private static string Unquote(string etag)
    {
        var trimmed = etag.Trim();
        if (trimmed.StartsWith("W/", StringComparison.Ordinal))
        {
            trimmed = trimmed[2..];
        }
        return trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"' ? trimmed[1..^1] : trimmed;
    }

    private static string Quote(string etag) => $"\"{etag}\"";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {Device} is not available (missing, or not mounted with swift_mount_check)")]
    private partial void LogDeviceUnavailable(string device);
}
