using System.Net;
using System.Security.Cryptography;
using System.Text;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The proxy's symlink, tempurl and formpost middlewares (issue 17), driven as their users drive them: the swift CLI
/// (<c>swift tempurl</c>, <c>swift download</c>/<c>stat</c> through a link), curl on a temporary URL and a browser-like
/// multipart form post with curl.
/// </summary>
[Category("Integration")]
public sealed class SwiftSymlinkTempUrlFormPostTests
{
    private SwiftCluster _cluster = null!;
    private SwiftHttp _swift = null!;
    private string _tester = null!;
    private string _bob = null!;

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        _cluster = await SwiftCluster.StartAsync([SwiftHttp.Flag]);
        _swift = new SwiftHttp(_cluster);
        _tester = await _swift.TokenAsync("test:tester", "testing");
        _bob = await _swift.TokenAsync("other:bob", "bobpass");
        foreach (var container in new[] { "data", "links", "forms" })
        {
            (await _swift.CallAsync(_tester, HttpMethod.Put, $"/v1/AUTH_test/{container}")).Status.Should().Be(HttpStatusCode.Created);
        }
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/data/target.txt", "target body")).Status.Should().Be(HttpStatusCode.Created);
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        _swift.Dispose();
        await _cluster.DisposeAsync();
    }

    [Test]
    public async Task A_symlink_is_followed_by_the_swift_cli_read_itself_with_symlink_get_and_listed_with_its_path()
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/links/soft", "", ("X-Symlink-Target", "data/target.txt"))).Status.Should().Be(HttpStatusCode.Created);

        await Swift("download", "links", "soft", "-o", "soft.txt");
        (await File.ReadAllTextAsync(Path.Combine(_cluster.Work, "soft.txt"))).Should().Be("target body");
        (await Swift("stat", "links", "soft")).Stdout.Should().Contain("Content Length: 11");
        using (var link = await _swift.SendAsync(_tester, HttpMethod.Head, "/v1/AUTH_test/links/soft?symlink=get"))
        {
            link.Headers.GetValues("X-Symlink-Target").Single().Should().Be("data/target.txt");
            link.Content.Headers.ContentType!.MediaType.Should().Be("application/symlink");
        }
        var (_, listing) = await _swift.CallAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/links?format=json&prefix=soft");
        listing.Should().Contain("\"symlink_path\":\"/v1/AUTH_test/data/target.txt\"").And.Contain("\"hash\":\"d41d8cd98f00b204e9800998ecf8427e\"");

        ExternalTool.Require("/usr/bin/curl", "curl");
        var post = await Curl("-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "-X", "POST", "-H", $"X-Auth-Token: {_tester}",
            "-H", "X-Object-Meta-Color: blue", $"{_cluster.ProxyUrl}/v1/AUTH_test/links/soft");
        post.Stdout.Should().Be($"307 {_cluster.ProxyUrl}/v1/AUTH_test/data/target.txt", "a POST to a link is pointed at its target");
    }

    [Test]
    public async Task Copying_a_link_with_the_swift_cli_copies_its_target_and_with_symlink_get_the_link_itself()
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/links/to-copy", "", ("X-Symlink-Target", "data/target.txt"))).Status.Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/links/hop", "", ("X-Symlink-Target", "links/to-copy"))).Status.Should().Be(HttpStatusCode.Created);

        await Swift("copy", "links", "hop", "--destination", "/data/copied.txt");
        var (_, copied) = await _swift.CallAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/data/copied.txt?symlink=get");
        copied.Should().Be("target body", "a copy follows the links (two hops) to the object they end at");
        using (var copy = await _swift.SendAsync(_tester, HttpMethod.Head, "/v1/AUTH_test/data/copied.txt?symlink=get"))
        {
            copy.Headers.Contains("X-Symlink-Target").Should().BeFalse();
        }

        (await _swift.CallAsync(_tester, new HttpMethod("COPY"), "/v1/AUTH_test/links/to-copy?symlink=get", null, ("Destination", "links/same-link")))
            .Status.Should().Be(HttpStatusCode.Created);
        using (var link = await _swift.SendAsync(_tester, HttpMethod.Head, "/v1/AUTH_test/links/same-link?symlink=get"))
        {
            link.Headers.GetValues("X-Symlink-Target").Single().Should().Be("data/target.txt");
        }
        (await _swift.CallAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/links/same-link")).Body.Should().Be("target body");
        var (_, listing) = await _swift.CallAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/links?format=json&prefix=same-link");
        listing.Should().Contain("\"symlink_path\":\"/v1/AUTH_test/data/target.txt\"");
    }

    [Test]
    public async Task Static_links_loops_bodies_and_targets_in_other_accounts_are_refused_as_swift_refuses_them()
    {
        var etag = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes("target body"))).ToLowerInvariant();
        var (wrong, wrongBody) = await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/links/static-bad", "",
            ("X-Symlink-Target", "data/target.txt"), ("X-Symlink-Target-Etag", new string('0', 32)));
        wrong.Should().Be(HttpStatusCode.Conflict);
        wrongBody.Should().Be($"Object Etag '{etag}' does not match X-Symlink-Target-Etag header '{new string('0', 32)}'");
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/links/static", "",
            ("X-Symlink-Target", "data/target.txt"), ("X-Symlink-Target-Etag", etag))).Status.Should().Be(HttpStatusCode.Created);
        using (var link = await _swift.SendAsync(_tester, HttpMethod.Head, "/v1/AUTH_test/links/static?symlink=get"))
        {
            link.Headers.GetValues("X-Symlink-Target-Bytes").Single().Should().Be("11");
        }
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/links/body", "not empty", ("X-Symlink-Target", "data/target.txt")))
            .Should().Be((HttpStatusCode.BadRequest, "Symlink requests require a zero byte body"));
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/links/bad", "", ("X-Symlink-Target", "nocontainer"))).Status
            .Should().Be(HttpStatusCode.PreconditionFailed);

        foreach (var (name, target) in new[] { ("l2", "links/l3"), ("l3", "links/l4"), ("l4", "data/target.txt") })
        {
            (await _swift.CallAsync(_tester, HttpMethod.Put, $"/v1/AUTH_test/links/{name}", "", ("X-Symlink-Target", target))).Status.Should().Be(HttpStatusCode.Created);
        }
        (await _swift.CallAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/links/l3")).Should().Be((HttpStatusCode.OK, "target body"), "two links are within symloop_max");
        (await _swift.CallAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/links/l2"))
            .Should().Be((HttpStatusCode.Conflict, "Too many levels of symbolic links, maximum allowed is 2"));

        (await _swift.CallAsync(_bob, HttpMethod.Put, "/v1/AUTH_other/mine")).Status.Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_bob, HttpMethod.Put, "/v1/AUTH_other/mine/steal", "",
            ("X-Symlink-Target", "data/target.txt"), ("X-Symlink-Target-Account", "AUTH_test"))).Status.Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_bob, HttpMethod.Get, "/v1/AUTH_other/mine/steal")).Status.Should().Be(HttpStatusCode.Forbidden, "a link opens nothing its reader could not read");
    }

    [Test]
    public async Task A_temporary_url_from_the_swift_cli_downloads_with_curl_and_nothing_else()
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        ExternalTool.Require("/usr/bin/curl", "curl");
        await SwiftAs("test:tester", "testing", "post", "-m", "Temp-URL-Key:secret");
        foreach (var digest in new[] { "sha1", "sha256", "sha512" })
        {
            var url = (await SwiftAs("test:tester", "testing", "tempurl", "--digest", digest, "GET", "60", $"{_cluster.ProxyUrl}/v1/AUTH_test/data/target.txt", "secret")).Stdout.Trim();
            var get = await Curl("-s", "-D", "-", url);
            get.Stdout.Should().Contain("200 OK").And.Contain("target body")
                .And.Contain("Content-Disposition: attachment; filename=\"target.txt\"; filename*=UTF-8''target.txt", digest);
        }
        var iso = (await SwiftAs("test:tester", "testing", "tempurl", "--iso8601", "GET", "60", $"{_cluster.ProxyUrl}/v1/AUTH_test/data/target.txt", "secret")).Stdout.Trim();
        iso.Should().MatchRegex("temp_url_expires=[0-9-]+T[0-9:]+Z");
        (await Curl("-s", iso)).Stdout.Should().Be("target body", "an ISO 8601 expiry is as good as a unix time");
        var put = (await SwiftAs("test:tester", "testing", "tempurl", "PUT", "60", $"{_cluster.ProxyUrl}/v1/AUTH_test/data/uploaded", "secret")).Stdout.Trim();
        (await Curl("-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "--data-binary", "via tempurl", put)).Stdout.Should().Be("201");
        (await _swift.CallAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/data/uploaded")).Should().Be((HttpStatusCode.OK, "via tempurl"));

        var getUrl = (await SwiftAs("test:tester", "testing", "tempurl", "GET", "60", $"{_cluster.ProxyUrl}/v1/AUTH_test/data/target.txt", "secret")).Stdout.Trim();
        var delete = await Curl("-s", "-w", "\n%{http_code}", "-X", "DELETE", getUrl);
        delete.Stdout.Should().Be("401 Unauthorized: Temp URL invalid\n\n401", "a URL signed for GET deletes nothing");
        var wrongKey = (await SwiftAs("test:tester", "testing", "tempurl", "GET", "60", $"{_cluster.ProxyUrl}/v1/AUTH_test/data/target.txt", "guess")).Stdout.Trim();
        (await Curl("-s", "-o", "/dev/null", "-w", "%{http_code}", wrongKey)).Stdout.Should().Be("401");
        var otherObject = getUrl.Replace("target.txt", "uploaded", StringComparison.Ordinal);
        (await Curl("-s", "-o", "/dev/null", "-w", "%{http_code}", otherObject)).Stdout.Should().Be("401", "a signature names one object");
    }

    [Test]
    public async Task A_form_post_with_curl_uploads_its_files_and_redirects_with_the_status()
    {
        ExternalTool.Require("/usr/bin/curl", "curl");
        (await _swift.CallAsync(_tester, HttpMethod.Post, "/v1/AUTH_test/forms", null, ("X-Container-Meta-Temp-URL-Key", "formkey"))).Status.Should().Be(HttpStatusCode.NoContent);
        var path = "/v1/AUTH_test/forms/up/";
        var expires = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string Sign(string key, string redirect, string maxSize, string maxCount) =>
            Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes($"{path}\n{redirect}\n{maxSize}\n{maxCount}\n{expires}"))).ToLowerInvariant();
        await File.WriteAllTextAsync(Path.Combine(_cluster.Work, "a.txt"), "posted a");
        await File.WriteAllTextAsync(Path.Combine(_cluster.Work, "b.txt"), "posted b");
        string[] Form(string key, string redirect, string maxSize, string maxCount) =>
        [
            "-F", $"redirect={redirect}", "-F", $"max_file_size={maxSize}", "-F", $"max_file_count={maxCount}", "-F", $"expires={expires}",
            "-F", $"signature={Sign(key, redirect, maxSize, maxCount)}", "-F", "file1=@a.txt", "-F", "file2=@b.txt",
        ];

        var posted = await Curl(["-s", "-w", "\n%{http_code}", .. Form("formkey", "", "1024", "2"), _cluster.ProxyUrl + path]);
        posted.Stdout.Should().Be("201 Created\n201");
        (await _swift.ListAsync(_tester, "/v1/AUTH_test/forms")).Should().Equal("up/a.txt", "up/b.txt");
        (await _swift.CallAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/forms/up/b.txt")).Should().Be((HttpStatusCode.OK, "posted b"));

        var redirected = await Curl(["-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", .. Form("formkey", "https://example.com/done", "1024", "1"), _cluster.ProxyUrl + path]);
        redirected.Stdout.Should().Be("303 https://example.com/done?status=400&message=max%20file%20count%20exceeded");
        var tooBig = await Curl(["-s", "-w", "\n%{http_code}", .. Form("formkey", "", "3", "2"), _cluster.ProxyUrl + path]);
        tooBig.Stdout.Should().Be("FormPost: max_file_size exceeded\n400");
        var forged = await Curl(["-s", "-w", "\n%{http_code}", .. Form("guess", "", "1024", "2"), _cluster.ProxyUrl + path]);
        forged.Stdout.Should().Be("FormPost: Invalid Signature\n401");
    }

    private Task<ToolRun> Swift(params string[] args) => SwiftAs("test:tester", "testing", args);

    private async Task<ToolRun> SwiftAs(string user, string key, params string[] args)
    {
        var run = await ExternalTool.RunAsync("/usr/bin/swift", ["-V", "1", "-A", _cluster.AuthUrl, "-U", user, "-K", key, .. args], _cluster.Work, timeout: TimeSpan.FromSeconds(60));
        run.ExitCode.Should().Be(0, $"swift {string.Join(' ', args)}: {run}\n{_cluster.Output}");
        return run;
    }

    private async Task<ToolRun> Curl(params string[] args)
    {
        var run = await ExternalTool.RunAsync("/usr/bin/curl", args, _cluster.Work, timeout: TimeSpan.FromSeconds(60));
        run.ExitCode.Should().Be(0, $"curl {string.Join(' ', args)}: {run}\n{_cluster.Output}");
        return run;
    }
}
