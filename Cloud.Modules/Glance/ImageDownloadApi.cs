using System.Buffers;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Cloud.Modules.Glance.Streaming;
using Cloud.Modules.Kernel;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Glance;

/// <summary>
/// How hosts outside glance (compute hosts, volume hosts) download images from glance's v2 API at
/// <c>--glance_api_servers</c> (the first that answers): the image's record (<c>GET /v2/images/{id}</c>) for its disk
/// format and MD5 checksum, then its data (<c>GET …/file</c>); the record alone when the host already holds the data
/// (<see cref="DescribeAsync"/>), so glance decides every use.
/// The host reads as the image reader service user (<see cref="ImageReaderToken"/>) on behalf of the owner of the
/// instance or volume (<see cref="OnBehalfOfHeaders"/>): glance judges the owner's rights, and the host can read images but
/// never write them or act as anyone. It needs no request token, so a build that waited, a reschedule and a restart all work alike.
/// </summary>
public sealed class ImageDownloadApi(HttpClient http, IOptions<GlanceFlags> glance, ImageReaderToken reader)
{
    /// <summary>Bytes per read from glance and write to the destination.</summary>
    private const int ChunkSize = 1 << 20;

    /// <summary>
    /// Writes image <paramref name="imageId"/> to <paramref name="destination"/> on behalf of <paramref name="owner"/>,
    /// checking its MD5, and returns its record. A missing image, or one the owner may not see, throws
    /// "Image &lt;id&gt; not found in glance"; one that is not active throws too.
    /// </summary>
    public Task<ImageRecord> DownloadAsync(string imageId, ImageOwner owner, string destination, CancellationToken cancellationToken) =>
        AsOwnerAsync(imageId, owner, (image, read) => FetchFromAsync(image, imageId, read, destination, cancellationToken), cancellationToken);

    /// <summary>Gets the image reader's token ahead of the first download (a compute host does at start).</summary>
    public Task PrepareAsync(CancellationToken cancellationToken) => reader.GetAsync(cancellationToken);

    /// <summary>The image's record on behalf of <paramref name="owner"/>, without its data; same refusals as <see cref="DownloadAsync"/>.</summary>
    public Task<ImageRecord> DescribeAsync(string imageId, ImageOwner owner, CancellationToken cancellationToken) =>
        AsOwnerAsync(imageId, owner, (image, read) => RecordAsync(image, imageId, read, cancellationToken), cancellationToken);

    /// <summary>Runs <paramref name="call"/> on behalf of <paramref name="owner"/>, once more with a new token when glance refuses the kept one.</summary>
    private async Task<ImageRecord> AsOwnerAsync(string imageId, ImageOwner owner, Func<Uri, OwnerRead, Task<ImageRecord>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var token = await reader.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await OnFirstServerAsync(imageId, new OwnerRead(token, owner), call).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.Unauthorized)
        {
            // Revoked, or the reader's password changed since the token was issued: one fresh token, then glance's answer stands.
            reader.Forget(token);
            return await OnFirstServerAsync(imageId, new OwnerRead(await reader.GetAsync(cancellationToken).ConfigureAwait(false), owner), call).ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="call"/> with the image's URL on the first glance server that answers.</summary>
    private async Task<ImageRecord> OnFirstServerAsync(string imageId, OwnerRead read, Func<Uri, OwnerRead, Task<ImageRecord>> call)
    {
        var servers = glance.Value.GlanceApiServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        HttpRequestException? unreachable = null;
        foreach (var server in servers)
        {
            try
            {
                return await call(new Uri($"http://{server}/v2/images/{Uri.EscapeDataString(imageId)}"), read).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (e.StatusCode is null)
            {
                unreachable = e;
            }
        }
        throw new InvalidOperationException($"Image {imageId}: no glance server answered ({glance.Value.GlanceApiServers}): {unreachable?.Message}", unreachable);
    }

    /// <summary>The image's record as its owner sees it, once glance says it is active.</summary>
    private async Task<ImageRecord> RecordAsync(Uri image, string imageId, OwnerRead read, CancellationToken cancellationToken)
    {
        using var show = await SendAsync(image, imageId, read, cancellationToken).ConfigureAwait(false);
        var record = await show.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
        var status = record.TryGetProperty("status", out var s) ? s.GetString() : null;
        if (status != "active")
        {
            throw new InvalidOperationException($"Image {imageId} is {status}, not active, in glance");
        }
        return new ImageRecord(
            imageId,
            Text(record, "name"),
            Text(record, "disk_format") ?? "raw",
            Text(record, "container_format"),
            Text(record, "checksum"),
            Number(record, "size"),
            Number(record, "virtual_size"),
            (int)(Number(record, "min_disk") ?? 0),
            (int)(Number(record, "min_ram") ?? 0),
            Text(record, "kernel_id"),
            Text(record, "ramdisk_id"));
    }

    private static string? Text(JsonElement record, string name) =>
        record.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Number(JsonElement record, string name) =>
        record.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    /// <summary>
    /// The record and the data are asked for at once (one round trip less); the data streams to
    /// <paramref name="destination"/> in large chunks while its MD5 runs on a task of its own, so the fetch runs at the
    /// slower of the network and the disk, not at their sum plus the hash's.
    /// </summary>
    private async Task<ImageRecord> FetchFromAsync(Uri image, string imageId, OwnerRead read, string destination, CancellationToken cancellationToken)
    {
        var recordTask = RecordAsync(image, imageId, read, cancellationToken);
        var dataTask = SendAsync(new Uri($"{image}/file"), imageId, read, cancellationToken);
        ImageRecord record;
        try
        {
            record = await recordTask.ConfigureAwait(false);
        }
        catch
        {
            // The record's refusal is the answer; the data's response (or its own refusal) is dropped.
            _ = dataTask.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            _ = dataTask.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }
        using var data = await dataTask.ConfigureAwait(false);
        using var md5 = new HashSink(HashAlgorithmName.MD5);
        var source = await data.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var hashing = new ParallelSinks([md5]);
            await using (hashing.ConfigureAwait(false))
            {
                var file = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 1, useAsync: true);
                await using (file.ConfigureAwait(false))
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                    try
                    {
                        int n;
                        while ((n = await source.ReadAtLeastAsync(buffer.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false)) > 0)
                        {
                            await hashing.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                            await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
                await hashing.CompleteAsync().ConfigureAwait(false);
            }
        }
        if (record.Checksum is { } checksum && !string.Equals(checksum, md5.Hex, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Image {imageId}: downloaded data has MD5 {md5.Hex}, glance says {checksum}");
        }
        return record;
    }

    private async Task<HttpResponseMessage> SendAsync(Uri uri, string imageId, OwnerRead read, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Add("X-Auth-Token", read.Token);
        request.Headers.Add(OnBehalfOfHeaders.User, read.Owner.UserId);
        request.Headers.Add(OnBehalfOfHeaders.Project, read.Owner.ProjectId);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            throw new HttpRequestException($"glance GET {uri.AbsolutePath}: the image reader's token was refused", null, HttpStatusCode.Unauthorized);
        }
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            throw CloudException.NotFound($"Image {imageId} not found in glance");
        }
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            response.Dispose();
            throw new InvalidOperationException($"glance GET {uri.AbsolutePath}: {(int)response.StatusCode} {body.Trim()}");
        }
        return response;
    }

    /// <summary>The image reader's token and the owner it reads for.</summary>
    private sealed record OwnerRead(string Token, ImageOwner Owner);
}
