using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12, holes 15 and 7: a server action body naming two actions (<c>{"os-start":null,"os-stop":null}</c>) was
/// a 500 (SingleOrDefault on two keys). nova refuses it while parsing, before the server lookup and the policy
/// check: 400 "Malformed message body: too many body keys", whatever the server, and nothing happens to it.
/// </summary>
[Category("Integration")]
public sealed class Bug0012_15_TwoKeyServerAction
{
    private ComputeApiCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await ComputeApiCloud.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }
    }

    [TestCase("{\"os-start\":null,\"os-stop\":null}")]
    [TestCase("{\"reboot\":{\"type\":\"HARD\"},\"os-stop\":null}")]
    [TestCase("{}")]
    public async Task A_body_that_does_not_name_exactly_one_action_is_a_400_before_the_lookup(string body)
    {
        var token = await _cloud.TokenAsync("alice");

        var (status, answer) = await _cloud.NovaAsync(token, HttpMethod.Post, $"/v2.1/servers/{Guid.NewGuid()}/action", body);

        status.Should().Be(400, answer);
        answer.Should().Contain("\"badRequest\"").And.Contain("Malformed message body: too many body keys");
    }

    [Test]
    public async Task A_two_action_body_leaves_the_server_as_it_was()
    {
        var token = await _cloud.TokenAsync("alice");
        var created = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/servers", new { server = new { name = "steady", imageRef = _cloud.ImageId, flavorRef = "1" } });
        created.Status.Should().Be(202, created.Body);
        var id = ComputeApiCloud.Json(created.Body).GetProperty("server").GetProperty("id").GetString()!;
        await Poller.UntilAsync(async () => (await _cloud.NovaAsync(token, HttpMethod.Get, $"/v2.1/servers/{id}")).Body.Contains("\"status\":\"ACTIVE\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "the server to be ACTIVE");

        var (status, answer) = await _cloud.NovaAsync(token, HttpMethod.Post, $"/v2.1/servers/{id}/action", "{\"os-stop\":null,\"os-start\":null}");

        status.Should().Be(400, answer);
        var show = ComputeApiCloud.Json((await _cloud.NovaAsync(token, HttpMethod.Get, $"/v2.1/servers/{id}")).Body).GetProperty("server");
        show.GetProperty("status").GetString().Should().Be("ACTIVE");
        show.GetProperty("OS-EXT-STS:task_state").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
    }
}
