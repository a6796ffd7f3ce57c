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
    SwiftStorageFlags flags, SwiftHash hash, TimeProvider clock, IDiskFileFactory diskFiles, ContainerUpdateSender containers, ObjectReplicationEndpoint replication, DiskThreads diskThreads, ILogger<ObjectServer> log)
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
        if (StoragePolicyIndex.Of(context.Request.Headers) is not { } policy)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, $"Invalid {SwiftStoragePolicies.IndexHeader}").ConfigureAwait(false);
            return;
        }
        var file = policy == 0 ? diskFiles.Open(device, path.Partition, hex) : diskFiles.Open(device, path.Partition, hex, policy);
        var request = context.Request;
        var task = request.Method switch
        {
            "PUT" => PutAsync(context, path, file, device, hex),
            "GET" or "HEAD" => GetAsync(context, file),
            "DELETE" => DeleteAsync(context, path, file, device, hex),
            _ => PostAsync(context, file, device),
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
            await WriteErrorAsync(context, StatusCodes.Status412PreconditionFailed, "Precondition Failed").ConfigureAwait(false);
            return;
        }
        await using var writer = file.CreateWriter();
        var (etag, length) = await writer.WriteAsync(request.Body, context.RequestAborted).ConfigureAwait(false);
        var expected = request.Headers.ETag.ToString();
        if (expected.Length > 0 && !string.Equals(ObjectConditions.Unquote(expected), etag, StringComparison.OrdinalIgnoreCase))
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
            // On the device's threads: the fsyncs and the partition lock's wait hold no thread the network needs.
            await diskThreads.RunAsync(device, () => writer.Commit(timestamp, metadata)).ConfigureAwait(false);
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
            response.ContentType = metadata.GetValueOrDefault("Content-Type", "application/octet-stream");
            switch (ObjectConditions.Check(request.Headers, etag, state.MetadataTimestamp!))
            {
                case StatusCodes.Status304NotModified:
                    // swob keeps the object's headers (Content-Type included) on a 304.
                    response.StatusCode = StatusCodes.Status304NotModified;
                    response.Headers.ContentLength = 0;
                    return;
                case StatusCodes.Status412PreconditionFailed:
                    response.Headers.Remove("Accept-Ranges");
                    response.StatusCode = StatusCodes.Status412PreconditionFailed;
                    response.ContentType = SwiftErrorPage.ContentType;
                    response.ContentLength = 0;
                    return;
            }
            // A HEAD answers the whole object's length whatever the Range, as swob does.
            if (HttpMethods.IsHead(request.Method))
            {
                response.ContentLength = size;
                return;
            }
            if (SwiftRange.Resolve(request.Headers.Range.ToString(), size) is { } ranges)
            {
                await ObjectRangeReply.WriteAsync(context, data, size, ranges).ConfigureAwait(false);
                return;
            }
            response.ContentLength = size;
            await ObjectBodyCopy.ToResponseAsync(data, 0, size, response, context.RequestAborted).ConfigureAwait(false);
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
        var conditional = context.Request.Headers.TryGetValue("X-If-Delete-At", out var ifDeleteAt);
        if (conditional && IfDeleteAtRefusal(ifDeleteAt.ToString(), current) is { } refusal)
        {
            // The expirer's (and a client's) guard: only the object version whose X-Delete-At it names is deleted.
            await WriteErrorAsync(context, refusal.Status, refusal.Message).ConfigureAwait(false);
            return;
        }
        // A tombstone is recorded even for a missing object, so a PUT older than this DELETE arriving late loses.
        if (current.Timestamp is null || SwiftTimestamp.Compare(current.Timestamp, timestamp) < 0)
        {
            await diskThreads.RunAsync(device, () => file.WriteTombstone(timestamp)).ConfigureAwait(false);
            await containers.SendAsync(context.Request.Headers, device, hex, new ContainerUpdate("DELETE", path.Account, path.Container, path.Object,
                new Dictionary<string, string> { ["X-Timestamp"] = timestamp })).ConfigureAwait(false);
        }
        var newest = current.Timestamp is not null && SwiftTimestamp.Compare(current.Timestamp, timestamp) > 0 ? current.Timestamp : timestamp;
        context.Response.Headers["X-Backend-Timestamp"] = newest;
        if (current.Exists && (conditional || !IsExpired(current)))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        await WriteErrorAsync(context, StatusCodes.Status404NotFound, "Not Found").ConfigureAwait(false);
    }

    private async Task PostAsync(HttpContext context, IDiskFile file, string device)
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
        if (request.ContentType is { Length: > 0 } newType)
        {
            // swift's fast-post: a POST's Content-Type replaces the object's.
            metadata["Content-Type"] = newType;
        }
        foreach (var header in AllowedHeaders.Where(FsDiskFile.IsPostReplaced))
        {
            if (request.Headers.TryGetValue(header, out var value))
            {
                metadata[header] = value.ToString();
            }
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
        if (request.Headers.TryGetValue("X-Delete-At", out var deleteAt))
        {
            // A POST sets (the proxy has checked it) when the object expires, as a PUT does.
            metadata["X-Delete-At"] = deleteAt.ToString();
        }
        try
        {
            await diskThreads.RunAsync(device, () => file.WriteMetadata(timestamp, metadata)).ConfigureAwait(false);
        }
        catch (MetadataTooLargeException e)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, e.Message).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    /// <summary>
    /// Swift's X-If-Delete-At check: 400 for a value that is no timestamp, 404 without an object, 412 when the object's
    /// X-Delete-At (0 when it has none) is another time; null when the DELETE may go on.
    /// </summary>
    private static (int Status, string Message)? IfDeleteAtRefusal(string value, DiskFileState current)
    {
        if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var wanted))
        {
            return (StatusCodes.Status400BadRequest, "Bad X-If-Delete-At header value");
        }
        if (!current.Exists)
        {
            return (StatusCodes.Status404NotFound, "Not Found");
        }
        var stored = current.Metadata.TryGetValue("X-Delete-At", out var at)
            && decimal.TryParse(at, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) ? seconds : 0m;
        return stored == wanted ? null : (StatusCodes.Status412PreconditionFailed, "X-If-Delete-At and X-Delete-At do not match");
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

    private static string Quote(string etag) => $"\"{etag}\"";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {Device} is not available (missing, or not mounted with swift_mount_check)")]
    private partial void LogDeviceUnavailable(string device);
}
