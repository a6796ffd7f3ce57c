using System.Net;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Account ACLs (X-Account-Access-Control) and copies across accounts through <c>cloudd --roles=swift-proxy</c> with
/// tempauth: system:root owns AUTH_system and grants other:bob, who owns AUTH_other; driven by the real swift CLI and
/// plain HTTP.
/// </summary>
[Category("Integration")]
public sealed class SwiftAccountAclTests
{
    private SwiftCluster _cluster = null!;
    private readonly HttpClient _http = new();
    private string _root = "";
    private string _bob = "";

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        _cluster = await SwiftCluster.StartAsync();
        _root = await TokenAsync("system:root", "testpass");
        _bob = await TokenAsync("other:bob", "bobpass");
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
    }

    [Test]
    public async Task The_swift_cli_grants_another_account_read_only_access_to_the_whole_account()
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        await File.WriteAllTextAsync(Path.Combine(_cluster.Work, "shared.txt"), "for bob");
        await Swift("system:root", "testpass", null, "upload", "acl-ro", "shared.txt");
        var asBob = $"{_cluster.ProxyUrl}/v1/AUTH_system";
        await SwiftFails("no ACL grants bob anything yet", "other:bob", "bobpass", asBob, "list", "acl-ro");

        await Swift("system:root", "testpass", null, "post", "-H", "X-Account-Access-Control: {\"read-only\": [\"other:bob\"]}");

        (await Swift("other:bob", "bobpass", asBob, "list")).Stdout.Should().Contain("acl-ro");
        await Swift("other:bob", "bobpass", asBob, "download", "acl-ro", "shared.txt", "-o", "bob.txt");
        (await File.ReadAllTextAsync(Path.Combine(_cluster.Work, "bob.txt"))).Should().Be("for bob");
        await SwiftFails("read-only grants no writes", "other:bob", "bobpass", asBob, "upload", "acl-ro", "bob.txt");
        using var ownerHead = await Send(HttpMethod.Head, "/v1/AUTH_system", _root);
        ownerHead.Headers.GetValues("X-Account-Access-Control").Single().Should().Be("{\"read-only\":[\"other:bob\"]}", "swift shows the ACL as it stores it");
        using var guestHead = await Send(HttpMethod.Head, "/v1/AUTH_system", _bob);
        guestHead.StatusCode.Should().Be(HttpStatusCode.NoContent);
        guestHead.Headers.Contains("X-Account-Access-Control").Should().BeFalse("only owners see the account's ACL");
        await Swift("system:root", "testpass", null, "post", "-H", "X-Account-Access-Control: {}");
        await SwiftFails("{} clears the ACL", "other:bob", "bobpass", asBob, "list");
    }

    [Test]
    public async Task Read_write_and_admin_grants_and_copies_across_accounts_are_authorised_in_both_accounts()
    {
        (await Send(HttpMethod.Put, "/v1/AUTH_system/acl-rw", _root)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await Send(HttpMethod.Put, "/v1/AUTH_system/acl-rw/doc", _root, "system doc")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await Send(HttpMethod.Put, "/v1/AUTH_other/inbox", _bob)).StatusCode.Should().Be(HttpStatusCode.Created);
        var copyIn = new[] { ("X-Copy-From", "acl-rw/doc"), ("X-Copy-From-Account", "AUTH_system") };
        (await Send(HttpMethod.Put, "/v1/AUTH_other/inbox/doc", _bob, "", copyIn)).StatusCode.Should().Be(HttpStatusCode.Forbidden, "bob may not read AUTH_system yet");

        (await Send(HttpMethod.Post, "/v1/AUTH_system", _root, null, ("X-Account-Access-Control", "{\"read-write\": [\"other:bob\"]}"))).StatusCode.Should().Be(HttpStatusCode.NoContent);

        using (var copied = await Send(HttpMethod.Put, "/v1/AUTH_other/inbox/doc", _bob, "", copyIn))
        {
            copied.StatusCode.Should().Be(HttpStatusCode.Created);
            copied.Headers.GetValues("X-Copied-From-Account").Single().Should().Be("AUTH_system");
        }
        using (var back = await Send(HttpMethod.Get, "/v1/AUTH_other/inbox/doc", _bob))
        {
            (await back.Content.ReadAsStringAsync()).Should().Be("system doc");
        }
        (await Send(new HttpMethod("COPY"), "/v1/AUTH_other/inbox/doc", _bob, null, ("Destination", "acl-rw/from-bob"), ("Destination-Account", "AUTH_system")))
            .StatusCode.Should().Be(HttpStatusCode.Created, "read-write lets bob write objects of AUTH_system");
        (await Send(HttpMethod.Put, "/v1/AUTH_system/bobs-container", _bob)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await Send(HttpMethod.Post, "/v1/AUTH_system/acl-rw", _bob, null, ("X-Container-Read", ".r:*"))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        using (var head = await Send(HttpMethod.Head, "/v1/AUTH_system/acl-rw", _root))
        {
            head.Headers.Contains("X-Container-Read").Should().BeFalse("a guest's ACL headers are dropped, as swift drops them");
        }
        (await Send(HttpMethod.Post, "/v1/AUTH_system", _bob, null, ("X-Account-Meta-By", "bob"))).StatusCode.Should().Be(HttpStatusCode.Forbidden, "read-write does not reach the account's metadata");

        (await Send(HttpMethod.Post, "/v1/AUTH_system", _root, null, ("X-Account-Access-Control", "{\"admin\": [\"other:bob\"]}"))).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await Send(HttpMethod.Post, "/v1/AUTH_system", _bob, null, ("X-Account-Access-Control", "{}"))).StatusCode.Should().Be(HttpStatusCode.NoContent, "an admin may change the ACL");
        (await Send(HttpMethod.Get, "/v1/AUTH_system/acl-rw/doc", _bob)).StatusCode.Should().Be(HttpStatusCode.Forbidden, "bob cleared his own grant");
        (await Send(new HttpMethod("COPY"), "/v1/AUTH_system/acl-rw/doc", _root, null, ("Destination", "inbox/pushed"), ("Destination-Account", "AUTH_other")))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden, "root may not write AUTH_other");
    }

    [TestCase("not json", "X-Account-Access-Control invalid: Syntax error in input ('not json')\n\nInput: not json\n")]
    [TestCase("{\"owner\": []}", "X-Account-Access-Control invalid: Key \"owner\" not recognized\n\nInput: {\"owner\": []}\n")]
    public async Task An_invalid_account_acl_is_400_with_tempauths_message(string acl, string message)
    {
        using var answer = await Send(HttpMethod.Post, "/v1/AUTH_system", _root, null, ("X-Account-Access-Control", acl));

        answer.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await answer.Content.ReadAsStringAsync()).Should().Be(message);
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string token, string? body = null, params (string, string)[] headers)
    {
        using var request = new HttpRequestMessage(method, _cluster.ProxyUrl + path);
        request.Headers.Add("X-Auth-Token", token);
        if (body is not null || method == HttpMethod.Put)
        {
            request.Content = new StringContent(body ?? "");
        }
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return await _http.SendAsync(request);
    }

    private async Task<string> TokenAsync(string user, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _cluster.AuthUrl);
        request.Headers.Add("X-Auth-User", user);
        request.Headers.Add("X-Auth-Key", key);
        using var answer = await _http.SendAsync(request);
        return answer.Headers.GetValues("X-Auth-Token").Single();
    }

    /// <summary>The real swift CLI as <paramref name="user"/>, on <paramref name="storageUrl"/> (null: the user's own account); fails the test unless it succeeds.</summary>
    private async Task<ToolRun> Swift(string user, string key, string? storageUrl, params string[] args)
    {
        var run = await RunSwift(user, key, storageUrl, args);
        run.ExitCode.Should().Be(0, $"swift {string.Join(' ', args)}: {run}\n{_cluster.Output}");
        return run;
    }

    /// <summary>The real swift CLI, which must fail (the proxy refused), for the reason given.</summary>
    private async Task SwiftFails(string because, string user, string key, string? storageUrl, params string[] args) =>
        (await RunSwift(user, key, storageUrl, args)).ExitCode.Should().NotBe(0, because);

    private Task<ToolRun> RunSwift(string user, string key, string? storageUrl, string[] args)
    {
        string[] url = storageUrl is null ? [] : ["--os-storage-url", storageUrl];
        return ExternalTool.RunAsync("/usr/bin/swift", ["-V", "1", "-A", _cluster.AuthUrl, "-U", user, "-K", key, .. url, .. args], _cluster.Work, timeout: TimeSpan.FromSeconds(60));
    }
}
