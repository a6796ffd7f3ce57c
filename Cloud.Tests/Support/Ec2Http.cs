using System.Text;
using Cloud.Modules.Identity.Ec2;

namespace Cloud.Tests.Support;

/// <summary>
/// Raw EC2 Query API calls signed (SigV4, as awscli signs) with a user's keys: cheap enough to send hundreds in a
/// test where a real client would cost a process each.
/// </summary>
public sealed class Ec2Http(string endpoint) : IDisposable
{
    private const string FormType = "application/x-www-form-urlencoded; charset=utf-8";

    private readonly HttpClient _http = new();

    /// <summary>POSTs <c>Action=...&amp;...</c> (the API version is added) and returns status and XML body.</summary>
    public async Task<(int Status, string Body)> CallAsync((string AccessKey, string SecretKey) keys, string form)
    {
        var body = $"{form}&Version=2016-11-15";
        var url = new Uri(endpoint);
        var host = $"{url.Host}:{url.Port}";
        var unsigned = Ec2Request.FromRaw("POST", host, url.AbsolutePath, null, [new("Host", host), new("Content-Type", FormType)], Encoding.UTF8.GetBytes(body));
        var signed = Ec2RequestSigner.SignV4(unsigned, keys.AccessKey, keys.SecretKey, "nova", "ec2", DateTimeOffset.UtcNow);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", FormType);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", signed.GetHeader("X-Amz-Date"));
        request.Headers.TryAddWithoutValidation("Authorization", signed.GetHeader("Authorization"));
        using var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _http.Dispose();
}
