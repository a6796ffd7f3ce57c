using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Glance;
using Cloud.Modules.Kernel;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Compute.Images;

/// <summary>
/// Downloads images from glance's v2 API at <c>--glance_api_servers</c> (the first that answers): the image's
/// record (<c>GET /v2/images/{id}</c>) for its disk format and MD5 checksum, then its data (<c>GET …/file</c>); the record
/// alone when the host already holds the data (<see cref="DescribeAsync"/>), so glance decides every use.
/// The host reads as the image reader service user (<see cref="ImageReaderToken"/>) on behalf of the instance's owner
/// (<see cref="OnBehalfOfHeaders"/>): glance judges the owner's rights, and the host can read images but never write
/// them or act as anyone. It needs no request token, so a build that waited, a reschedule and a restart all work alike.
/// </summary>
public sealed class GlanceImageFetcher(HttpClient http, IOptions<GlanceFlags> glance, ImageReaderToken reader) : IImageFetcher
{
    public Task<string> FetchAsync(string imageId, InstanceSpec owner, string destination, CancellationToken cancellationToken) =>
        AsOwnerAsync(imageId, owner, (image, read) => FetchFromAsync(image, imageId, read, destination, cancellationToken), cancellationToken);

    public Task<string> DescribeAsync(string imageId, InstanceSpec owner, CancellationToken cancellationToken) =>
        AsOwnerAsync(imageId, owner, async (image, read) => (await RecordAsync(image, imageId, read, cancellationToken).ConfigureAwait(false)).DiskFormat, cancellationToken);

    /// <summary>Runs <paramref name="call"/> on behalf of <paramref name="owner"/>, once more with a new token when glance refuses the kept one.</summary>
    private async Task<string> AsOwnerAsync(string imageId, InstanceSpec owner, Func<Uri, OwnerRead, Task<string>> call, CancellationToken cancellationToken)
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
    private async Task<string> OnFirstServerAsync(string imageId, OwnerRead read, Func<Uri, OwnerRead, Task<string>> call)
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

    /// <summary>The image's record as the instance's owner sees it: disk format and checksum, once glance says it is active.</summary>
    private async Task<(string DiskFormat, string? Checksum)> RecordAsync(Uri image, string imageId, OwnerRead read, CancellationToken cancellationToken)
    {
        using var show = await SendAsync(image, imageId, read, cancellationToken).ConfigureAwait(false);
        var record = await show.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
        var status = record.TryGetProperty("status", out var s) ? s.GetString() : null;
        if (status != "active")
        {
            throw new InvalidOperationException($"Image {imageId} is {status}, not active, in glance");
        }
        var format = record.TryGetProperty("disk_format", out var f) ? f.GetString() ?? "raw" : "raw";
        return (format, record.TryGetProperty("checksum", out var c) ? c.GetString() : null);
    }

    private async Task<string> FetchFromAsync(Uri image, string imageId, OwnerRead read, string destination, CancellationToken cancellationToken)
    {
        var (format, checksum) = await RecordAsync(image, imageId, read, cancellationToken).ConfigureAwait(false);
        using var data = await SendAsync(new Uri($"{image}/file"), imageId, read, cancellationToken).ConfigureAwait(false);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var source = await data.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var file = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                var buffer = new byte[1 << 16];
                int n;
                while ((n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    md5.AppendData(buffer, 0, n);
                    await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        var actual = Convert.ToHexStringLower(md5.GetHashAndReset());
        if (checksum is not null && !string.Equals(checksum, actual, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Image {imageId}: downloaded data has MD5 {actual}, glance says {checksum}");
        }
        return format;
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

    /// <summary>The image reader's token and the instance owner it reads for.</summary>
    private sealed record OwnerRead(string Token, InstanceSpec Owner);
}
