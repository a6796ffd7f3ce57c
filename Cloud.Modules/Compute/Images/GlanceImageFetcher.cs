using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Glance;
using Cloud.Modules.Identity;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Compute.Images;

/// <summary>
/// Downloads images from glance's v2 API at <c>--glance_api_servers</c> (the first that answers): the image's
/// record (<c>GET /v2/images/{id}</c>) for its disk format and MD5 checksum, then its data (<c>GET …/file</c>); the record
/// alone when the host already holds the data (<see cref="DescribeAsync"/>), so glance decides every use.
/// Compute hosts share the identity database, so the host signs a short-lived token for the instance's owner
/// itself, exactly as the identity service would, and glance sees the owner's own rights.
/// </summary>
public sealed class GlanceImageFetcher(HttpClient http, IOptions<GlanceFlags> glance, IdentityApi identity, TokenSigner signer, TimeProvider clock) : IImageFetcher
{
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(10);

    public Task<string> FetchAsync(string imageId, InstanceSpec owner, string destination, CancellationToken cancellationToken) =>
        OnFirstServerAsync(imageId, owner, (image, token) => FetchFromAsync(image, imageId, token, destination, cancellationToken), cancellationToken);

    public Task<string> DescribeAsync(string imageId, InstanceSpec owner, CancellationToken cancellationToken) =>
        OnFirstServerAsync(imageId, owner, async (image, token) => (await RecordAsync(image, imageId, token, cancellationToken).ConfigureAwait(false)).DiskFormat, cancellationToken);

    /// <summary>Runs <paramref name="call"/> with the image's URL on the first glance server that answers, and the owner's token.</summary>
    private async Task<string> OnFirstServerAsync(string imageId, InstanceSpec owner, Func<Uri, string, Task<string>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var token = await TokenForAsync(owner, cancellationToken).ConfigureAwait(false);
        var servers = glance.Value.GlanceApiServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        HttpRequestException? unreachable = null;
        foreach (var server in servers)
        {
            try
            {
                return await call(new Uri($"http://{server}/v2/images/{Uri.EscapeDataString(imageId)}"), token).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (e.StatusCode is null)
            {
                unreachable = e;
            }
        }
        throw new InvalidOperationException($"Image {imageId}: no glance server answered ({glance.Value.GlanceApiServers}): {unreachable?.Message}", unreachable);
    }

    /// <summary>The image's record as the token's owner sees it: disk format and checksum, once glance says it is active.</summary>
    private async Task<(string DiskFormat, string? Checksum)> RecordAsync(Uri image, string imageId, string token, CancellationToken cancellationToken)
    {
        using var show = await SendAsync(image, imageId, token, cancellationToken).ConfigureAwait(false);
        var record = await show.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
        var status = record.TryGetProperty("status", out var s) ? s.GetString() : null;
        if (status != "active")
        {
            throw new InvalidOperationException($"Image {imageId} is {status}, not active, in glance");
        }
        var format = record.TryGetProperty("disk_format", out var f) ? f.GetString() ?? "raw" : "raw";
        return (format, record.TryGetProperty("checksum", out var c) ? c.GetString() : null);
    }

    private async Task<string> FetchFromAsync(Uri image, string imageId, string token, string destination, CancellationToken cancellationToken)
    {
        var (format, checksum) = await RecordAsync(image, imageId, token, cancellationToken).ConfigureAwait(false);
        using var data = await SendAsync(new Uri($"{image}/file"), imageId, token, cancellationToken).ConfigureAwait(false);
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

    private async Task<HttpResponseMessage> SendAsync(Uri uri, string imageId, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Add("X-Auth-Token", token);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
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

    /// <summary>A token for the owner scoped to the instance's project, built like TokenService builds one.</summary>
    private async Task<string> TokenForAsync(InstanceSpec owner, CancellationToken cancellationToken)
    {
        var user = await identity.FindUserByIdAsync(owner.UserId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"cannot fetch images for instance {owner.Name}: its owner (user {owner.UserId}) no longer exists");
        var project = await identity.FindProjectAsync(null, owner.ProjectId, cancellationToken).ConfigureAwait(false);
        var roles = project is null ? [] : await identity.RolesInProjectAsync(user, project, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow().UtcDateTime;
        var payload = new TokenPayload(user.Id, user.Name, project?.Id, project?.Name, roles, ["compute"], now, now + TokenLifetime,
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        return await signer.SignAsync(payload, cancellationToken).ConfigureAwait(false);
    }
}
