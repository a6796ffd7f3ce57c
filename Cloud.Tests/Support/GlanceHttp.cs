using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FluentAssertions;

namespace Cloud.Tests.Support;

/// <summary>Raw HTTP to a cloud's image API with Keystone tokens, for what the real clients cannot show (status codes, isolation).</summary>
public sealed class GlanceHttp(ApiCloud cloud) : IDisposable
{
    private readonly HttpClient _http = new();

    /// <summary>A project-scoped token for <paramref name="user"/>.</summary>
    public async Task<string> TokenAsync(string user, string password, string project)
    {
        var body = JsonSerializer.Serialize(new
        {
            auth = new
            {
                identity = new { methods = new[] { "password" }, password = new { user = new { name = user, domain = new { id = "default" }, password } } },
                scope = new { project = new { name = project, domain = new { id = "default" } } },
            },
        });
        using var response = await _http.PostAsync($"{cloud.KeystoneUrl}/v3/auth/tokens", new StringContent(body, Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return response.Headers.GetValues("X-Subject-Token").Single();
    }

    public async Task<HttpResponseMessage> SendAsync(string? token, HttpMethod method, string path, HttpContent? content = null, string? range = null)
    {
        using var request = new HttpRequestMessage(method, $"{cloud.GlanceUrl}{path}") { Content = content };
        if (token is not null)
        {
            request.Headers.Add("X-Auth-Token", token);
        }
        if (range is not null)
        {
            request.Headers.Range = RangeHeaderValue.Parse(range);
        }
        return await _http.SendAsync(request);
    }

    public static StringContent Json(object body, string type = "application/json") =>
        new(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, MediaTypeHeaderValue.Parse(type).MediaType!);

    public static StringContent Patch(string document) => Json(document, "application/openstack-images-v2.1-json-patch");

    public static async Task<JsonElement> BodyAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>Creates an image (201 expected) and returns its id.</summary>
    public async Task<string> CreateAsync(string token, object body)
    {
        using var response = await SendAsync(token, HttpMethod.Post, "/v2/images", Json(body));
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await BodyAsync(response)).GetProperty("id").GetString()!;
    }

    /// <summary>Uploads <paramref name="data"/> (204 expected).</summary>
    public async Task UploadAsync(string token, string id, byte[] data)
    {
        var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await SendAsync(token, HttpMethod.Put, $"/v2/images/{id}/file", content);
        response.StatusCode.Should().Be(HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
    }

    public async Task<HttpStatusCode> StatusAsync(string token, HttpMethod method, string path, HttpContent? content = null)
    {
        using var response = await SendAsync(token, method, path, content);
        return response.StatusCode;
    }

    public void Dispose() => _http.Dispose();
}
