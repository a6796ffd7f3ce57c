using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Cloud.Modules.Glance;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Compute;

/// <summary>The compute host's image reader token: asked of Keystone once per lifetime, as the service user, never naming its password in errors.</summary>
public sealed class ImageReaderTokenTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task One_token_serves_until_a_minute_before_it_expires()
    {
        var keystone = new FakeKeystone(Start.AddHours(1));
        var clock = new ManualClock(Start);
        var reader = Reader(keystone, clock);

        var first = await reader.GetAsync(default);
        clock.Advance(TimeSpan.FromMinutes(58));
        (await reader.GetAsync(default)).Should().Be(first);
        clock.Advance(TimeSpan.FromMinutes(1));
        (await reader.GetAsync(default)).Should().NotBe(first);

        keystone.Requests.Should().HaveCount(2);
        keystone.Requests[0].Should().Contain("\"name\":\"image-reader\"").And.Contain("\"password\":\"reader-secret\"").And.Contain("\"service\"");
    }

    [Test]
    public async Task A_forgotten_token_is_replaced_and_another_forget_leaves_the_new_one()
    {
        var keystone = new FakeKeystone(Start.AddHours(1));
        var reader = Reader(keystone, new ManualClock(Start));

        var first = await reader.GetAsync(default);
        reader.Forget(first);
        var second = await reader.GetAsync(default);
        reader.Forget(first);

        second.Should().NotBe(first);
        (await reader.GetAsync(default)).Should().Be(second);
    }

    [Test]
    public async Task A_refused_login_names_the_user_and_flags_but_not_the_password()
    {
        var reader = Reader(new FakeKeystone(Start.AddHours(1)) { Refuse = true }, new ManualClock(Start));

        var act = () => reader.GetAsync(default);

        var error = (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message;
        error.Should().Contain("image-reader").And.Contain("--image_reader_password").And.NotContain("reader-secret");
    }

    private static ImageReaderToken Reader(FakeKeystone keystone, TimeProvider clock) =>
        new(new HttpClient(keystone), Options.Create(new ImageReaderFlags { AuthUrl = "http://keystone.test/v3", Password = "reader-secret" }), clock);

    private sealed class FakeKeystone(DateTimeOffset expiresAt) : HttpMessageHandler
    {
        public bool Refuse { get; init; }

        public List<string> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri!.AbsolutePath.Should().Be("/v3/auth/tokens");
            Requests.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            if (Refuse)
            {
                return new HttpResponseMessage(HttpStatusCode.Unauthorized);
            }
            var body = JsonSerializer.Serialize(new { token = new { expires_at = expiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture) } });
            var response = new HttpResponseMessage(HttpStatusCode.Created) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            response.Headers.Add("X-Subject-Token", $"token-{Requests.Count}");
            return response;
        }
    }
}
