using System.Net;
using System.Text.Json;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The proxy's web-facing middlewares as swift 2.30's: staticweb (a container served as a site to anonymous readers),
/// domain_remap (the site under its own host name), CORS, container and account quotas, and ratelimit's blacklist;
/// set up with the real swift CLI, read with curl and plain HTTP as a browser would.
/// </summary>
[Category("Integration")]
public sealed class SwiftWebTests
{
    private SwiftCluster _cluster = null!;
    private SwiftHttp _http = null!;
    private string _tester = "";

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        _cluster = await SwiftCluster.StartAsync([SwiftHttp.Flag, "--swift_storage_domain=web.example.com", "--swift_account_blacklist=AUTH_other"]);
        _http = new SwiftHttp(_cluster);
        _tester = await _http.TokenAsync("test:tester", "testing");
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
    }

    [Test]
    public async Task A_container_made_a_site_with_the_swift_cli_serves_its_index_listings_and_error_page_to_curl()
    {
        var curl = ExternalTool.Require("curl", "curl");
        await Upload("site", ("index.html", "<html>home</html>"), ("404error.html", "<html>gone</html>"), ("docs/a.txt", "aaa"));
        await Swift("post", "-r", ".r:*,.rlistings", "-m", "web-index:index.html", "-m", "web-listings:true", "-m", "web-error:error.html", "site");
        var site = $"{_cluster.ProxyUrl}/v1/AUTH_test/site";

        (await Curl(curl, site + "/")).Should().Be("200 <html>home</html>");
        (await Curl(curl, site + "/nothing.html")).Should().Be("404 <html>gone</html>");
        var redirect = await ExternalTool.RunAsync(curl, ["-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", site], _cluster.Work);
        redirect.Stdout.Should().Be($"301 {site}/");
        var listing = await Curl(curl, site + "/docs/");
        listing.Should().StartWith("200 <!DOCTYPE HTML").And.Contain("<title>Listing of /v1/AUTH_test/site/docs/</title>")
            .And.Contain("<a href=\"a.txt\">a.txt</a>").And.Contain("<td class=\"colsize\">3</td>").And.Contain("<a href=\"../\">../</a>");
        (await Curl(curl, site + "/docs")).Should().StartWith("301");

        // The owner gets the plain listing, unless asking for the web view.
        (await _http.CallAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/site/")).Body.Should().Contain("docs/a.txt");
        (await _http.CallAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/site/", null, ("X-Web-Mode", "true"))).Body.Should().Be("<html>home</html>");
    }

    [Test]
    public async Task A_host_under_the_storage_domain_names_the_account_and_container()
    {
        await Upload("remapped", ("page.txt", "remapped page"));
        using var http = new HttpClient();
        async Task<(HttpStatusCode, string)> Get(string host, string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _cluster.ProxyUrl + path);
            request.Headers.Host = host;
            request.Headers.Add("X-Auth-Token", _tester);
            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        (await Get("remapped.auth-test.web.example.com", "/page.txt")).Should().Be((HttpStatusCode.OK, "remapped page"));
        // A remapped listing is JSON, as swift's (its listing_formats never sees it).
        (await Get("auth-test.web.example.com", "/")).Item2.Should().Contain("\"name\":\"remapped\"");
        (await Get("a.b.auth-test.web.example.com", "/")).Should().Be((HttpStatusCode.BadRequest, "Bad domain in host header"));
        (await Get("remapped.auth-test.elsewhere.example.com", "/")).Item1.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Cors_preflight_needs_no_token_and_actual_answers_carry_the_allowed_origin()
    {
        await Upload("cors", ("o", "x"));
        await Swift("post", "-m", "Access-Control-Allow-Origin:http://good.example.com", "-m", "Access-Control-Max-Age:60", "-m", "Access-Control-Expose-Headers:X-Foo", "cors");

        using (var preflight = await _http.SendAsync(null, HttpMethod.Options, "/v1/AUTH_test/cors/o", null, ("Origin", "http://good.example.com"), ("Access-Control-Request-Method", "PUT")))
        {
            preflight.StatusCode.Should().Be(HttpStatusCode.OK);
            preflight.Headers.GetValues("Access-Control-Allow-Origin").Single().Should().Be("http://good.example.com");
            preflight.Headers.GetValues("Access-Control-Max-Age").Single().Should().Be("60");
            preflight.Headers.GetValues("Access-Control-Allow-Methods").Single().Should().Contain("PUT");
        }
        (await _http.CallAsync(null, HttpMethod.Options, "/v1/AUTH_test/cors/o", null, ("Origin", "http://evil.example.com"), ("Access-Control-Request-Method", "GET")))
            .Status.Should().Be(HttpStatusCode.Unauthorized);
        using var actual = await _http.SendAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/cors/o", null, ("Origin", "http://good.example.com"));
        actual.Headers.GetValues("Access-Control-Allow-Origin").Single().Should().Be("http://good.example.com");
        actual.Headers.GetValues("Access-Control-Expose-Headers").Single().Split(", ").Should().Contain(["x-foo", "etag"]);
        using var refused = await _http.SendAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/cors/o", null, ("Origin", "http://evil.example.com"));
        refused.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse("strict_cors_mode answers only allowed origins");
    }

    [Test]
    public async Task Container_quotas_refuse_an_upload_or_copy_past_them_and_a_quota_that_is_no_number()
    {
        await Upload("source", ("big.txt", "twelve bytes"));
        await Swift("post", "-H", "X-Container-Meta-Quota-Bytes: 10", "capped");
        (await _http.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/capped/big", "eleven char")).Should().Be((HttpStatusCode.RequestEntityTooLarge, "Upload exceeds quota."));
        (await _http.CallAsync(_tester, new HttpMethod("COPY"), "/v1/AUTH_test/source/big.txt", null, ("Destination", "capped/copied")))
            .Should().Be((HttpStatusCode.RequestEntityTooLarge, "Upload exceeds quota."));
        (await _http.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/capped/small", "ok")).Status.Should().Be(HttpStatusCode.Created);
        (await _http.CallAsync(_tester, HttpMethod.Post, "/v1/AUTH_test/capped", null, ("X-Container-Meta-Quota-Count", "many")))
            .Should().Be((HttpStatusCode.BadRequest, "Invalid count quota."));
    }

    [Test]
    public async Task A_blacklisted_account_is_refused_and_info_lists_the_web_middlewares()
    {
        var bob = await _http.TokenAsync("other:bob", "bobpass");
        (await _http.CallAsync(bob, HttpMethod.Get, "/v1/AUTH_other")).Should().Be(((HttpStatusCode)497, "Your account has been blacklisted"));

        var info = JsonDocument.Parse((await _http.CallAsync(null, HttpMethod.Get, "/info")).Body).RootElement;
        info.GetProperty("ratelimit").GetProperty("max_sleep_time_seconds").GetDouble().Should().Be(60);
        info.GetProperty("domain_remap").GetProperty("default_reseller_prefix").ValueKind.Should().Be(JsonValueKind.Null);
        foreach (var name in new[] { "staticweb", "container_quotas", "account_quotas" })
        {
            info.TryGetProperty(name, out _).Should().BeTrue(name);
        }
        info.GetProperty("swift").GetProperty("strict_cors_mode").GetBoolean().Should().BeTrue();
    }

    private async Task Upload(string container, params (string Name, string Content)[] files)
    {
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(_cluster.Work, container, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, content);
        }
        await Swift(["upload", container, .. files.Select(f => f.Name)], Path.Combine(_cluster.Work, container));
    }

    private Task<ToolRun> Swift(params string[] args) => Swift(args, _cluster.Work);

    private async Task<ToolRun> Swift(string[] args, string directory)
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        var run = await ExternalTool.RunAsync("/usr/bin/swift", ["-V", "1", "-A", _cluster.AuthUrl, "-U", "test:tester", "-K", "testing", .. args], directory, timeout: TimeSpan.FromSeconds(60));
        run.ExitCode.Should().Be(0, $"swift {string.Join(' ', args)}: {run}\n{_cluster.Output}");
        return run;
    }

    private async Task<string> Curl(string curl, string url)
    {
        var run = await ExternalTool.RunAsync(curl, ["-s", "-w", "%{http_code} ", "-o", "body.out", url], _cluster.Work);
        return run.Stdout + await File.ReadAllTextAsync(Path.Combine(_cluster.Work, "body.out"));
    }
}
