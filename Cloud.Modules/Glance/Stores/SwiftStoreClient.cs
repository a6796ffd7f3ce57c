using System.Net;

namespace Cloud.Modules.Glance.Stores;

/// <summary>
/// The Swift v1 API as the image store needs it, authenticated with tempauth (<c>GET auth_address</c> with
/// X-Auth-User/X-Auth-Key answers X-Storage-Url and X-Auth-Token). The token is kept until Swift answers 401, then
/// fetched once more and the request repeated, so an expired token or a restarted proxy is invisible to callers.
/// </summary>
public sealed class SwiftStoreClient(HttpClient http, string authAddress, string user, string key)
{
    private readonly SemaphoreSlim _authLock = new(1, 1);
    private Session? _session;

    /// <summary>
    /// Sends <c>method storage_url/path</c> (path escaped, e.g. <c>glance/ID?format=json</c>; empty for the account);
    /// <paramref name="prepare"/> adds headers and content and runs again on the retry after a 401, which happens only
    /// when <paramref name="canResend"/> (default: yes) agrees.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Action<HttpRequestMessage>? prepare, Func<bool>? canResend,
        HttpCompletionOption completion, CancellationToken ct)
    {
        var session = await SessionAsync(stale: null, ct).ConfigureAwait(false);
        var response = await SendOnceAsync(session, method, path, prepare, completion, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || !(canResend?.Invoke() ?? true))
        {
            return response;
        }
        response.Dispose();
        session = await SessionAsync(stale: session, ct).ConfigureAwait(false);
        return await SendOnceAsync(session, method, path, prepare, completion, ct).ConfigureAwait(false);
    }

    /// <summary>Sends a request that can always be resent, reading the whole answer.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, CancellationToken ct, Action<HttpRequestMessage>? prepare = null) =>
        SendAsync(method, path, prepare, null, HttpCompletionOption.ResponseContentRead, ct);

    /// <summary>Escapes one container or object name for a path.</summary>
    public static string Escape(string name) => Uri.EscapeDataString(name);

    /// <summary>An error for an answer Swift should not have given, naming the request.</summary>
    public async Task<Exception> FailureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        var detail = body.Length > 200 ? body[..200] : body;
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                new ImageStoreUnavailableException($"Swift refused {what} to user '{user}' ({(int)response.StatusCode}): check swift_store_user, swift_store_key and the container's ACLs"),
            _ => new HttpRequestException($"Swift answered {(int)response.StatusCode} {response.ReasonPhrase} to {what}: {detail.Trim()}", null, response.StatusCode),
        };
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Session session, HttpMethod method, string path, Action<HttpRequestMessage>? prepare,
        HttpCompletionOption completion, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path.Length == 0 ? session.StorageUrl : session.StorageUrl + "/" + path);
        request.Headers.TryAddWithoutValidation("X-Auth-Token", session.Token);
        prepare?.Invoke(request);
        return await http.SendAsync(request, completion, ct).ConfigureAwait(false);
    }

    private async Task<Session> SessionAsync(Session? stale, CancellationToken ct)
    {
        await _authLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // Another caller may have renewed the token while this one waited.
            if (_session is not null && !ReferenceEquals(_session, stale))
            {
                return _session;
            }
            using var request = new HttpRequestMessage(HttpMethod.Get, authAddress);
            request.Headers.TryAddWithoutValidation("X-Auth-User", user);
            request.Headers.TryAddWithoutValidation("X-Auth-Key", key);
            using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new ImageStoreUnavailableException(
                    $"Swift at {authAddress} rejected swift_store_user '{user}' ({(int)response.StatusCode}): check swift_store_user and swift_store_key");
            }
            if (!response.IsSuccessStatusCode)
            {
                throw await FailureAsync(response, $"authentication at {authAddress}", ct).ConfigureAwait(false);
            }
            var storageUrl = Header(response, "X-Storage-Url");
            var token = Header(response, "X-Auth-Token") ?? Header(response, "X-Storage-Token");
            if (storageUrl is null || token is null)
            {
                throw new HttpRequestException($"Swift at {authAddress} answered without X-Storage-Url and X-Auth-Token: is it a tempauth (v1.0) address?");
            }
            return _session = new Session(storageUrl.TrimEnd('/'), token);
        }
        finally
        {
            _authLock.Release();
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private sealed record Session(string StorageUrl, string Token);
}
