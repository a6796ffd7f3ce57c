using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cloud.Host.Commands;

/// <summary>
/// The image API v1 as <c>cloudd glance</c> uses it: a Keystone v3 password token (as the real clients get one), the
/// image endpoint from the token's catalog (or <c>--os-image-url</c>), and the v1 calls. A refusal becomes an
/// <see cref="OperatorException"/> with the server's message.
/// </summary>
public sealed class GlanceClient : IDisposable
{
    private readonly HttpClient _http;

    private GlanceClient(HttpClient http, string imageUrl, string projectId)
    {
        _http = http;
        ImageUrl = imageUrl;
        ProjectId = projectId;
    }

    /// <summary>The image API's root, e.g. http://127.0.0.1:9292.</summary>
    public string ImageUrl { get; }

    /// <summary>The project the token is scoped to.</summary>
    public string ProjectId { get; }

    /// <summary>Authenticates and finds the image endpoint.</summary>
    public static async Task<GlanceClient> ConnectAsync(GlanceCredentials credentials, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            var authUrl = credentials.AuthUrl.TrimEnd('/');
            var tokens = authUrl.EndsWith("/v3", StringComparison.Ordinal) ? $"{authUrl}/auth/tokens" : $"{authUrl}/v3/auth/tokens";
            using var issued = await Send(() => http.PostAsync(tokens,
                new StringContent(BenchKeystoneCommand.TokenRequestBody(credentials.User, credentials.Password, credentials.Project), Encoding.UTF8, "application/json"), ct), tokens).ConfigureAwait(false);
            if (!issued.IsSuccessStatusCode)
            {
                throw new OperatorException($"authentication at {authUrl} failed: HTTP {(int)issued.StatusCode} {await issued.Content.ReadAsStringAsync(ct).ConfigureAwait(false)}");
            }
            using var body = JsonDocument.Parse(await issued.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
            var token = body.RootElement.GetProperty("token");
            var imageUrl = credentials.ImageUrl ?? CatalogImageUrl(token)
                ?? throw new OperatorException("the service catalog has no public image endpoint: give --os-image-url");
            http.DefaultRequestHeaders.Add("X-Auth-Token", issued.Headers.GetValues("X-Subject-Token").Single());
            return new GlanceClient(http, imageUrl.TrimEnd('/'), token.GetProperty("project").GetProperty("id").GetString()!);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary><c>POST /v1/images</c> with metadata headers and optional data; returns the image JSON.</summary>
    public Task<JsonElement> AddAsync(IReadOnlyDictionary<string, string> meta, Stream? data, CancellationToken ct) =>
        ImageAsync(HttpMethod.Post, "/v1/images", meta, data, ct);

    /// <summary><c>PUT /v1/images/ID</c>: sets the headers' metadata; returns the image JSON.</summary>
    public Task<JsonElement> UpdateAsync(string id, IReadOnlyDictionary<string, string> meta, CancellationToken ct) =>
        ImageAsync(HttpMethod.Put, $"/v1/images/{Uri.EscapeDataString(id)}", meta, null, ct);

    /// <summary><c>HEAD /v1/images/ID</c>: the metadata headers, lower-case.</summary>
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> HeadAsync(string id, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Head, $"/v1/images/{Uri.EscapeDataString(id)}", null, ct).ConfigureAwait(false);
        return response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key.StartsWith("x-image-meta-", StringComparison.OrdinalIgnoreCase))
            .Select(h => KeyValuePair.Create(h.Key.ToLowerInvariant(), h.Value.First())).ToList();
    }

    /// <summary>Every image of the list (<c>/v1/images</c>, or <c>/detail</c>), following markers page by page.</summary>
    public async Task<List<JsonElement>> ListAsync(bool detail, CancellationToken ct)
    {
        var images = new List<JsonElement>();
        while (true)
        {
            var marker = images.Count == 0 ? "" : $"&marker={images[^1].GetProperty("id").GetString()}";
            var page = (await JsonAsync(HttpMethod.Get, $"/v1/images{(detail ? "/detail" : "")}?limit=100&sort_key=name&sort_dir=asc{marker}", null, ct).ConfigureAwait(false))
                .GetProperty("images").EnumerateArray().ToList();
            images.AddRange(page);
            if (page.Count < 100)
            {
                return images;
            }
        }
    }

    /// <summary><c>GET /v1/images/ID</c>: the data, with its length when known; the caller disposes the response.</summary>
    public Task<HttpResponseMessage> DownloadAsync(string id, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"/v1/images/{Uri.EscapeDataString(id)}", null, ct, HttpCompletionOption.ResponseHeadersRead);

    public async Task DeleteAsync(string id, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Delete, $"/v1/images/{Uri.EscapeDataString(id)}", null, ct).ConfigureAwait(false)).Dispose();

    /// <summary>Sends a member request (<c>/v1/images/ID/members…</c>, <c>/v1/shared-images/…</c>); returns its JSON, or null for none.</summary>
    public async Task<JsonElement?> MembersAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var content = body is null ? null : new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await SendAsync(method, path, content, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        return text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone();
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> ImageAsync(HttpMethod method, string path, IReadOnlyDictionary<string, string> meta, Stream? data, CancellationToken ct)
    {
        HttpContent? content = null;
        if (data is not null)
        {
            content = new StreamContent(data, 1 << 20);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }
        using (content)
        {
            return (await JsonAsync(method, path, content, ct, meta).ConfigureAwait(false)).GetProperty("image");
        }
    }

    private async Task<JsonElement> JsonAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var response = await SendAsync(method, path, content, ct, HttpCompletionOption.ResponseContentRead, headers).ConfigureAwait(false);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)).RootElement.Clone();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, ImageUrl + path) { Content = content };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        var response = await Send(() => _http.SendAsync(request, completion, ct), ImageUrl).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            throw new OperatorException(await ErrorAsync(response, ct).ConfigureAwait(false));
        }
    }

    /// <summary>The image API's message (<c>{"error": {"message"}}</c>), or the status alone (HEAD has no body).</summary>
    private static async Task<string> ErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = $"HTTP {(int)response.StatusCode}";
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        try
        {
            return JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("message").GetString() + $" ({status})";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return response.StatusCode == HttpStatusCode.NotFound ? $"not found ({status})" : $"{status} {text}".Trim();
        }
    }

    private static async Task<HttpResponseMessage> Send(Func<Task<HttpResponseMessage>> send, string where)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new OperatorException($"cannot reach {where}: {e.Message}");
        }
    }

    private static string? CatalogImageUrl(JsonElement token) =>
        token.TryGetProperty("catalog", out var catalog)
            ? catalog.EnumerateArray().Where(s => s.GetProperty("type").GetString() == "image")
                .SelectMany(s => s.GetProperty("endpoints").EnumerateArray())
                .Where(e => e.GetProperty("interface").GetString() == "public")
                .Select(e => e.GetProperty("url").GetString()).FirstOrDefault()
            : null;
}
