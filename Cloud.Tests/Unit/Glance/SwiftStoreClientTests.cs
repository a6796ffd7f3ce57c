using System.Net;
using Cloud.Modules.Glance.Stores;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Glance;

/// <summary>The swift store's tempauth session: one authentication, renewed once when Swift answers 401.</summary>
public sealed class SwiftStoreClientTests
{
    [Test]
    public async Task A_token_swift_no_longer_knows_is_renewed_once_and_the_request_repeated()
    {
        var swift = new FakeTempAuth();
        using var http = new HttpClient(swift);
        var client = new SwiftStoreClient(http, "http://swift.test/auth/v1.0", "system:root", "testpass");

        (await client.SendAsync(HttpMethod.Head, "glance", default)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.SendAsync(HttpMethod.Head, "glance", default)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        swift.Authentications.Should().Be(1, "the token is kept");

        swift.ForgetTokens();
        (await client.SendAsync(HttpMethod.Head, "glance", default)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        swift.Authentications.Should().Be(2);
        swift.Requests.Should().Equal("HEAD AUTH_tk1", "HEAD AUTH_tk1", "HEAD AUTH_tk1", "HEAD AUTH_tk2");
    }

    [Test]
    public async Task A_401_that_persists_after_renewal_is_returned_not_retried_for_ever()
    {
        var swift = new FakeTempAuth { RefuseEveryToken = true };
        using var http = new HttpClient(swift);
        var client = new SwiftStoreClient(http, "http://swift.test/auth/v1.0", "system:root", "testpass");

        (await client.SendAsync(HttpMethod.Head, "glance", default)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        swift.Authentications.Should().Be(2);
    }

    [Test]
    public async Task A_body_that_cannot_be_sent_again_is_not_resent_after_a_401()
    {
        var swift = new FakeTempAuth { RefuseEveryToken = true };
        using var http = new HttpClient(swift);
        var client = new SwiftStoreClient(http, "http://swift.test/auth/v1.0", "system:root", "testpass");

        var response = await client.SendAsync(HttpMethod.Put, "glance/x", r => r.Content = new ByteArrayContent([1]), () => false,
            HttpCompletionOption.ResponseContentRead, default);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        swift.Authentications.Should().Be(1);
    }

    [Test]
    public async Task A_rejected_key_is_a_store_unavailable_error_naming_the_user_and_the_flags()
    {
        var swift = new FakeTempAuth { Key = "other" };
        using var http = new HttpClient(swift);
        var client = new SwiftStoreClient(http, "http://swift.test/auth/v1.0", "system:root", "testpass");

        var act = () => client.SendAsync(HttpMethod.Head, "glance", default);

        var error = (await act.Should().ThrowAsync<ImageStoreUnavailableException>()).Which;
        error.Message.Should().Contain("'system:root'").And.Contain("swift_store_key").And.NotContain("testpass");
    }

    /// <summary>tempauth as a proxy has it: tokens live until the proxy forgets them (a restart, an expiry).</summary>
    private sealed class FakeTempAuth : HttpMessageHandler
    {
        private readonly HashSet<string> _tokens = [];

        public string Key { get; init; } = "testpass";

        public bool RefuseEveryToken { get; init; }

        public int Authentications { get; private set; }

        public List<string> Requests { get; } = [];

        public void ForgetTokens() => _tokens.Clear();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath == "/auth/v1.0")
            {
                if (request.Headers.GetValues("X-Auth-Key").Single() != Key)
                {
                    return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Unauthorized));
                }
                var token = $"AUTH_tk{++Authentications}";
                _tokens.Add(token);
                var ok = new HttpResponseMessage(HttpStatusCode.OK);
                ok.Headers.Add("X-Storage-Url", "http://swift.test/v1/AUTH_system");
                ok.Headers.Add("X-Auth-Token", token);
                return Task.FromResult(ok);
            }
            var given = request.Headers.GetValues("X-Auth-Token").Single();
            Requests.Add($"{request.Method} {given}");
            var known = !RefuseEveryToken && _tokens.Contains(given);
            return Task.FromResult(new HttpResponseMessage(known ? HttpStatusCode.NoContent : HttpStatusCode.Unauthorized));
        }
    }
}
