using System.Net;
using System.Text;
using Cloud.Modules.Swift.Common;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary><c>cloudd --roles=swift-proxy</c> with tempauth, in front of one two-device storage role, driven by the real swift CLI and by plain HTTP.</summary>
[Category("Integration")]
public sealed class SwiftProxyTests
{
    private SwiftCluster _cluster = null!;
    private readonly HttpClient _http = new();

    [OneTimeSetUp]
    public async Task StartCluster() => _cluster = await SwiftCluster.StartAsync();

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
    }

    [Test]
    public async Task The_swift_cli_stats_uploads_lists_downloads_and_deletes_through_the_proxy()
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        var work = _cluster.Work;
        var content = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7 % 251)).ToArray();
        await File.WriteAllBytesAsync(Path.Combine(work, "cat.bin"), content);
        (await Swift("stat")).Stdout.Should().Contain("Account: AUTH_system");
        (await Swift("upload", "photos", "cat.bin")).Stdout.Should().Contain("cat.bin");
        (await Swift("list")).Stdout.Should().Contain("photos");
        (await Swift("list", "photos")).Stdout.Trim().Should().Be("cat.bin");
        (await Swift("stat", "photos", "cat.bin")).Stdout.Should().Contain("Content Length: 300000");
        (await Swift("stat", "photos")).Stdout.Should().Contain("Objects: 1").And.Contain("Bytes: 300000");
        await Swift("download", "photos", "cat.bin", "-o", "back.bin");
        (await File.ReadAllBytesAsync(Path.Combine(work, "back.bin"))).Should().Equal(content);
        await Swift("delete", "photos", "cat.bin");
        (await Swift("list", "photos")).Stdout.Trim().Should().BeEmpty();
        await Swift("delete", "photos");
        (await Swift("list")).Stdout.Should().NotContain("photos");
    }

    [Test]
    public async Task The_swift_cli_uploads_a_static_large_object_in_segments_and_reads_it_back_whole()
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        var work = _cluster.Work;
        var content = Enumerable.Range(0, 250_000).Select(i => (byte)(i * 13 % 253)).ToArray();
        await File.WriteAllBytesAsync(Path.Combine(work, "large.bin"), content);
        await Swift("upload", "--use-slo", "-S", "100000", "videos", "large.bin");
        (await Swift("stat", "videos", "large.bin")).Stdout.Should().Contain("Content Length: 250000").And.Contain("Static-Large-Object: True");
        await Swift("download", "videos", "large.bin", "-o", "large.back");
        (await File.ReadAllBytesAsync(Path.Combine(work, "large.back"))).Should().Equal(content);
        await Swift("delete", "videos", "large.bin");
        (await Swift("list", "videos_segments")).Stdout.Trim().Should().BeEmpty("deleting the manifest deletes its segments");
    }

    [Test]
    public async Task The_swift_cli_uploads_a_dynamic_large_object_by_default_and_reads_it_back_whole()
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        var work = _cluster.Work;
        var content = Enumerable.Range(0, 330_000).Select(i => (byte)(i * 7 % 251)).ToArray();
        await File.WriteAllBytesAsync(Path.Combine(work, "dynamic.bin"), content);
        await Swift("upload", "-S", "100000", "movies", "dynamic.bin");
        (await Swift("stat", "movies", "dynamic.bin")).Stdout.Should().Contain("Content Length: 330000").And.Contain("Manifest: movies_segments/");
        await Swift("download", "movies", "dynamic.bin", "-o", "dynamic.back");
        (await File.ReadAllBytesAsync(Path.Combine(work, "dynamic.back"))).Should().Equal(content);
        (await Swift("list", "movies_segments")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(4);
    }

    [Test]
    public async Task A_keystone_token_opens_its_projects_account_and_no_other()
    {
        string[] state = [$"--state_path={_cluster.ProxyStatePath}"];
        (await CloudProcess.RunAsync(["manage", "user", "create", "kuser", "--password=kpass", .. state])).ExitCode.Should().Be(0);
        (await CloudProcess.RunAsync(["manage", "project", "create", "kproject", "kuser", .. state])).ExitCode.Should().Be(0);
        // The token is made here, against the proxy's database: the proxy process checks it with the shared signing key.
        var db = Cloud.Modules.Kernel.Db.DbConnectionFactory.FromUrl($"sqlite:///{_cluster.ProxyStatePath}/cloudd.sqlite");
        var identityFlags = Microsoft.Extensions.Options.Options.Create(new Cloud.Modules.Identity.IdentityFlags());
        var revocations = new Cloud.Modules.Identity.Tokens.TokenRevocations(db, identityFlags, TimeProvider.System);
        var identity = Cloud.Modules.Identity.IdentityApi.ForDatabase(db, revocations, Microsoft.Extensions.Options.Options.Create(new Cloud.Modules.Identity.QuotaFlags()), TimeProvider.System);
        var passwords = new Cloud.Modules.Identity.VerifiedPasswords(TimeProvider.System);
        var applicationCredentials = new Cloud.Modules.Identity.ApplicationCredentials.ApplicationCredentialsApi(
            new Cloud.Modules.Identity.Db.ApplicationCredentialStore(db, TimeProvider.System), identity, revocations, passwords, identityFlags, TimeProvider.System);
        var tokens = new Cloud.Modules.Identity.Tokens.TokenApi(identity, new Cloud.Modules.Identity.Tokens.TokenSigner(db), revocations,
            passwords, new Cloud.Modules.Identity.LoginThrottle(identityFlags, TimeProvider.System), applicationCredentials, identityFlags, TimeProvider.System);
        var (token, payload) = await tokens.IssueForPasswordAsync(null, "kuser", "kpass", new Cloud.Modules.Identity.Tokens.ProjectScope(null, "kproject"), null, default);
        using var http = new HttpClient();
        async Task<HttpStatusCode> Put(string account, string? withToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, $"{_cluster.ProxyUrl}/v1/{account}/kcontainer");
            if (withToken is not null)
            {
                request.Headers.Add("X-Auth-Token", withToken);
            }
            return (await http.SendAsync(request)).StatusCode;
        }

        (await Put($"AUTH_{payload.ProjectId}", token)).Should().Be(HttpStatusCode.Created);
        (await Put("AUTH_system", token)).Should().Be(HttpStatusCode.Forbidden);
        (await Put($"AUTH_{payload.ProjectId}", token + "x")).Should().Be(HttpStatusCode.Unauthorized);
        (await Put($"AUTH_{payload.ProjectId}", null)).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Another_account_reads_and_writes_only_what_the_containers_acls_allow()
    {
        using var http = new HttpClient();
        var root = (await Auth("system:root", "testpass")).Headers.GetValues("X-Auth-Token").Single();
        var bob = (await Auth("other:bob", "bobpass")).Headers.GetValues("X-Auth-Token").Single();
        var container = $"{_cluster.ProxyUrl}/v1/AUTH_system/shared";
        async Task<HttpStatusCode> Send(HttpMethod method, string url, string? token, params (string, string)[] headers)
        {
            using var request = new HttpRequestMessage(method, url) { Content = method == HttpMethod.Put ? new StringContent("data") : null };
            if (token is not null)
            {
                request.Headers.Add("X-Auth-Token", token);
            }
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            return (await http.SendAsync(request)).StatusCode;
        }

        (await Send(HttpMethod.Put, container, root)).Should().Be(HttpStatusCode.Created);
        (await Send(HttpMethod.Put, $"{container}/doc", root)).Should().Be(HttpStatusCode.Created);
        (await Send(HttpMethod.Get, $"{container}/doc", bob)).Should().Be(HttpStatusCode.Forbidden);
        (await Send(HttpMethod.Get, $"{container}/doc", null)).Should().Be(HttpStatusCode.Unauthorized);

        (await Send(HttpMethod.Post, container, root, ("X-Container-Read", "other:bob"))).Should().Be(HttpStatusCode.NoContent);
        (await Send(HttpMethod.Get, $"{container}/doc", bob)).Should().Be(HttpStatusCode.OK);
        (await Send(HttpMethod.Get, container, bob)).Should().Be(HttpStatusCode.OK);
        (await Send(HttpMethod.Put, $"{container}/bobs", bob)).Should().Be(HttpStatusCode.Forbidden);

        (await Send(HttpMethod.Post, container, root, ("X-Container-Read", ".r:*"), ("X-Container-Write", "other"))).Should().Be(HttpStatusCode.NoContent);
        (await Send(HttpMethod.Get, $"{container}/doc", null)).Should().Be(HttpStatusCode.OK);
        (await Send(HttpMethod.Get, container, null)).Should().Be(HttpStatusCode.Unauthorized, ".rlistings is not granted");
        (await Send(HttpMethod.Put, $"{container}/bobs", bob)).Should().Be(HttpStatusCode.Created);
        (await Send(HttpMethod.Delete, container, bob)).Should().Be(HttpStatusCode.Forbidden, "containers themselves stay with their account");
    }

    [Test]
    public async Task Tempauth_hands_out_a_storage_url_and_a_token_for_the_right_key()
    {
        using var response = await Auth("system:root", "testpass");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("X-Storage-Url").Single().Should().Be($"{_cluster.ProxyUrl}/v1/AUTH_system");
        response.Headers.GetValues("X-Auth-Token").Single().Should().StartWith("AUTH_tk");
        response.Headers.GetValues("X-Storage-Token").Single().Should().Be(response.Headers.GetValues("X-Auth-Token").Single());
    }

    [Test]
    public async Task Tempauth_refuses_a_wrong_key_with_401()
    {
        using var response = await Auth("system:root", "wrong");
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task The_api_refuses_a_request_without_a_token_with_401()
    {
        using var response = await _http.GetAsync($"{_cluster.ProxyUrl}/v1/AUTH_system");
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task The_api_refuses_another_account_with_403()
    {
        using var request = await Authorised(HttpMethod.Head, "/v1/AUTH_other");
        using var response = await _http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task An_object_is_stored_on_both_devices_and_read_back()
    {
        using (var put = await Authorised(HttpMethod.Put, "/v1/AUTH_system/twice"))
        {
            (await _http.SendAsync(put)).StatusCode.Should().Be(HttpStatusCode.Created);
        }
        using (var put = await Authorised(HttpMethod.Put, "/v1/AUTH_system/twice/dir/hello.txt"))
        {
            put.Content = new StringContent("hello swift", Encoding.UTF8, "text/plain");
            using var response = await _http.SendAsync(put);
            response.StatusCode.Should().Be(HttpStatusCode.Created);
            response.Headers.GetValues("ETag").Single().Should().Be(Md5("hello swift"));
        }
        var hex = new SwiftHash("", "cloudd").Hex("AUTH_system", "twice", "dir/hello.txt");
        foreach (var device in new[] { "d1", "d2" })
        {
            Directory.EnumerateFiles(Path.Combine(_cluster.Devices, device, "objects"), "*.data", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == hex)
                .Should().ContainSingle($"the object has a replica on {device}");
        }
        using (var get = await Authorised(HttpMethod.Get, "/v1/AUTH_system/twice/dir/hello.txt"))
        {
            using var response = await _http.SendAsync(get);
            (await response.Content.ReadAsStringAsync()).Should().Be("hello swift");
            response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        }
        using (var list = await Authorised(HttpMethod.Get, "/v1/AUTH_system/twice?format=json&prefix=dir/"))
        {
            (await (await _http.SendAsync(list)).Content.ReadAsStringAsync()).Should().Contain("\"name\":\"dir/hello.txt\"");
        }
        using (var delete = await Authorised(HttpMethod.Delete, "/v1/AUTH_system/twice"))
        {
            (await _http.SendAsync(delete)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_put_whose_etag_is_not_its_bodys_md5_is_422_and_stores_nothing_and_a_matching_one_is_201(bool chunked)
    {
        // Known length: streamed, the object servers check the ETag and the proxy passes their 422 on (it takes no MD5
        // itself). Chunked: spooled, the proxy checks it before any replica is written. Either way as swift.
        var container = $"/v1/AUTH_system/etags{chunked}";
        using (var put = await Authorised(HttpMethod.Put, container))
        {
            (await _http.SendAsync(put)).IsSuccessStatusCode.Should().BeTrue();
        }
        HttpContent Body()
        {
            var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("etag body")));
            if (!chunked)
            {
                content.Headers.ContentLength = 9;
            }
            return content;
        }
        using (var put = await Authorised(HttpMethod.Put, container + "/wrong"))
        {
            put.Content = Body();
            put.Headers.TransferEncodingChunked = chunked;
            put.Headers.TryAddWithoutValidation("ETag", Md5("another body"));
            using var response = await _http.SendAsync(put);
            response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
            (await response.Content.ReadAsStringAsync()).Should().Be(SwiftErrorPage.Body(422, null), "swob's standard page, as swift's proxy relays it");
        }
        using (var head = await Authorised(HttpMethod.Head, container + "/wrong"))
        {
            (await _http.SendAsync(head)).StatusCode.Should().Be(HttpStatusCode.NotFound, "no replica committed the refused body");
        }
        using (var put = await Authorised(HttpMethod.Put, container + "/right"))
        {
            put.Content = Body();
            put.Headers.TransferEncodingChunked = chunked;
            // Quoted and upper case: swift's object server compares it lower-cased, without its quotes.
            put.Headers.TryAddWithoutValidation("ETag", $"\"{Md5("etag body").ToUpperInvariant()}\"");
            using var response = await _http.SendAsync(put);
            response.StatusCode.Should().Be(HttpStatusCode.Created, _cluster.Output);
            response.Headers.GetValues("ETag").Single().Should().Be(Md5("etag body"), "the reply carries the replicas' own MD5");
        }
        using (var list = await Authorised(HttpMethod.Get, container + "?format=json"))
        {
            (await (await _http.SendAsync(list)).Content.ReadAsStringAsync()).Should().Contain($"\"hash\":\"{Md5("etag body")}\"").And.NotContain("wrong");
        }
    }

    [Test]
    public async Task Heads_answer_with_a_content_length_and_ranges_are_passed_through()
    {
        using (var put = await Authorised(HttpMethod.Put, "/v1/AUTH_system/ranges"))
        {
            (await _http.SendAsync(put)).IsSuccessStatusCode.Should().BeTrue();
        }
        using (var put = await Authorised(HttpMethod.Put, "/v1/AUTH_system/ranges/abc.txt"))
        {
            put.Content = new StringContent("abcdefghij");
            put.Headers.Add("X-Object-Meta-Colour", "blue");
            (await _http.SendAsync(put)).StatusCode.Should().Be(HttpStatusCode.Created);
        }
        using (var head = await Authorised(HttpMethod.Head, "/v1/AUTH_system"))
        {
            using var response = await _http.SendAsync(head);
            // Kestrel leaves Content-Length off a 204 (RFC 9110), unlike swift's Content-Length: 0; the status says "no body" anyway.
            response.StatusCode.Should().Be(HttpStatusCode.NoContent);
            response.Headers.GetValues("X-Account-Container-Count").Should().NotBeEmpty();
        }
        using (var head = await Authorised(HttpMethod.Head, "/v1/AUTH_system/ranges/abc.txt"))
        {
            using var response = await _http.SendAsync(head);
            response.Content.Headers.ContentLength.Should().Be(10);
            response.Headers.GetValues("ETag").Single().Should().Be(Md5("abcdefghij"), "swift answers object ETags unquoted");
            response.Headers.GetValues("X-Object-Meta-Colour").Single().Should().Be("blue");
        }
        using (var get = await Authorised(HttpMethod.Get, "/v1/AUTH_system/ranges/abc.txt"))
        {
            get.Headers.Add("Range", "bytes=2-4");
            using var response = await _http.SendAsync(get);
            response.StatusCode.Should().Be(HttpStatusCode.PartialContent);
            (await response.Content.ReadAsStringAsync()).Should().Be("cde");
        }
    }

    [Test]
    public async Task A_container_name_longer_than_256_bytes_is_400()
    {
        using var put = await Authorised(HttpMethod.Put, "/v1/AUTH_system/" + new string('c', 257));
        (await _http.SendAsync(put)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task An_object_put_into_a_missing_container_is_404()
    {
        using var put = await Authorised(HttpMethod.Put, "/v1/AUTH_system/nowhere/a.txt");
        put.Content = new StringContent("x");
        (await _http.SendAsync(put)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task The_healthcheck_answers_ok()
    {
        (await _http.GetStringAsync($"{_cluster.ProxyUrl}/healthcheck")).Should().Be("OK");
    }

    [Test]
    public async Task Info_reports_the_largest_object()
    {
        (await _http.GetStringAsync($"{_cluster.ProxyUrl}/info")).Should().Contain("\"max_file_size\":5368709122").And.Contain("\"tempauth\"");
    }

    /// <summary>The real swift CLI as system:root, in the cluster's work directory; fails the test on a non-zero exit.</summary>
    [Test]
    public async Task The_seeds_100_MiB_upload_in_segments_and_curl_with_a_tempauth_token_work()
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        var curl = ExternalTool.Require("curl", "curl");
        var work = _cluster.Work;
        var big = Path.Combine(work, "big.bin");
        await using (var file = File.Create(big))
        {
            var block = Enumerable.Range(0, 1 << 20).Select(i => (byte)(i * 31 % 251)).ToArray();
            for (var i = 0; i < 100; i++)
            {
                block[0] = (byte)i;
                await file.WriteAsync(block);
            }
        }

        await Swift("upload", "-S", "10485760", "seed55", "big.bin");

        (await Swift("list", "seed55_segments")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(10);
        await Swift("download", "seed55", "big.bin", "-o", "big.back");
        (await File.ReadAllBytesAsync(Path.Combine(work, "big.back"))).Should().Equal(await File.ReadAllBytesAsync(big));

        // Seed 5.5: a token from /auth/v1.0 with curl, then the account with that token.
        var auth = await ExternalTool.RunAsync(curl, ["-s", "-i", "-H", "X-Auth-User: system:root", "-H", "X-Auth-Key: testpass", _cluster.AuthUrl], work);
        var headers = auth.Stdout.Split("\r\n").Select(l => l.Split(": ", 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        var listing = await ExternalTool.RunAsync(curl, ["-s", "-H", $"X-Auth-Token: {headers["X-Auth-Token"]}", headers["X-Storage-Url"]], work);
        listing.Stdout.Split('\n').Should().Contain("seed55");
        await Swift("delete", "seed55", "big.bin");
        (await Swift("list", "seed55_segments")).Stdout.Trim().Should().BeEmpty("deleting a DLO with the CLI deletes its segments");
    }

    [Test]
    public async Task The_swift_cli_copies_an_object_with_its_metadata_and_new_metadata_on_top()
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        await File.WriteAllTextAsync(Path.Combine(_cluster.Work, "orig.txt"), "copy me");
        await Swift("upload", "originals", "orig.txt", "-H", "X-Object-Meta-Color: red");
        await Swift("post", "duplicates");

        await Swift("copy", "originals", "orig.txt", "--destination", "/duplicates/dup.txt", "-m", "Size:big");

        (await Swift("stat", "duplicates", "dup.txt")).Stdout.Should().Contain("Meta Color: red").And.Contain("Meta Size: big");
        await Swift("download", "duplicates", "dup.txt", "-o", "dup.back");
        (await File.ReadAllTextAsync(Path.Combine(_cluster.Work, "dup.back"))).Should().Be("copy me");
        (await Swift("stat", "originals", "orig.txt")).Stdout.Should().NotContain("Meta Size", "the source is left as it was");
    }

    [Test]
    public async Task Copies_by_put_and_by_copy_carry_type_and_metadata_unless_asked_for_fresh_metadata()
    {
        async Task<HttpResponseMessage> Send(HttpMethod method, string path, HttpContent? content, params (string, string)[] headers)
        {
            using var request = await Authorised(method, path);
            request.Content = content;
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            return await _http.SendAsync(request);
        }
        (await Send(HttpMethod.Put, "/v1/AUTH_system/copied", null)).StatusCode.Should().Be(HttpStatusCode.Created);
        var source = new StringContent("source bytes");
        source.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/x-source");
        (await Send(HttpMethod.Put, "/v1/AUTH_system/copied/src", source, ("X-Object-Meta-A", "1"))).StatusCode.Should().Be(HttpStatusCode.Created);

        using var put = await Send(HttpMethod.Put, "/v1/AUTH_system/copied/by-put", new ByteArrayContent([]), ("X-Copy-From", "/copied/src"));
        using var copy = await Send(new HttpMethod("COPY"), "/v1/AUTH_system/copied/src", null, ("Destination", "copied/by-copy"), ("X-Fresh-Metadata", "true"), ("X-Object-Meta-B", "2"));

        put.StatusCode.Should().Be(HttpStatusCode.Created);
        put.Headers.GetValues("X-Copied-From").Single().Should().Be("copied/src");
        copy.StatusCode.Should().Be(HttpStatusCode.Created);
        using var byPut = await Send(HttpMethod.Get, "/v1/AUTH_system/copied/by-put", null);
        (await byPut.Content.ReadAsStringAsync()).Should().Be("source bytes");
        byPut.Content.Headers.ContentType!.MediaType.Should().Be("text/x-source");
        byPut.Headers.GetValues("X-Object-Meta-A").Single().Should().Be("1");
        using var byCopy = await Send(HttpMethod.Get, "/v1/AUTH_system/copied/by-copy", null);
        (await byCopy.Content.ReadAsStringAsync()).Should().Be("source bytes");
        byCopy.Headers.Contains("X-Object-Meta-A").Should().BeFalse("fresh metadata drops the source's");
        byCopy.Headers.GetValues("X-Object-Meta-B").Single().Should().Be("2");
        using var listing = await Send(HttpMethod.Get, "/v1/AUTH_system/copied", null);
        (await listing.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("by-copy", "by-put", "src");
    }

    [TestCase("COPY", "/v1/AUTH_system/copybad/src", "Destination", "no-slash", HttpStatusCode.PreconditionFailed)]
    [TestCase("COPY", "/v1/AUTH_system/copybad/src", "X-Unrelated", "x", HttpStatusCode.PreconditionFailed)]
    [TestCase("PUT", "/v1/AUTH_system/copybad/dst", "X-Copy-From", "copybad/missing", HttpStatusCode.NotFound)]
    [TestCase("COPY", "/v1/AUTH_system/copybad/src", "Destination", "no-such-container/dst", HttpStatusCode.NotFound)]
    public async Task Bad_copies_are_refused_with_swifts_codes(string method, string path, string header, string value, HttpStatusCode expected)
    {
        using (var container = await Authorised(HttpMethod.Put, "/v1/AUTH_system/copybad"))
        {
            (await _http.SendAsync(container)).StatusCode.Should().BeOneOf(HttpStatusCode.Created, HttpStatusCode.Accepted);
        }
        using (var src = await Authorised(HttpMethod.Put, "/v1/AUTH_system/copybad/src"))
        {
            src.Content = new StringContent("x");
            (await _http.SendAsync(src)).StatusCode.Should().Be(HttpStatusCode.Created);
        }
        using var request = await Authorised(new HttpMethod(method), path);
        request.Headers.TryAddWithoutValidation(header, value);
        if (method == "PUT")
        {
            request.Content = new ByteArrayContent([]);
        }

        using var answer = await _http.SendAsync(request);

        answer.StatusCode.Should().Be(expected, await answer.Content.ReadAsStringAsync());
    }

    private async Task<ToolRun> Swift(params string[] args)
    {
        var run = await ExternalTool.RunAsync("/usr/bin/swift", ["-V", "1", "-A", _cluster.AuthUrl, "-U", "system:root", "-K", "testpass", .. args], _cluster.Work, timeout: TimeSpan.FromSeconds(60));
        run.ExitCode.Should().Be(0, $"swift {string.Join(' ', args)}: {run}\n{_cluster.Output}");
        return run;
    }

    private async Task<HttpResponseMessage> Auth(string user, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _cluster.AuthUrl);
        request.Headers.Add("X-Auth-User", user);
        request.Headers.Add("X-Auth-Key", key);
        return await _http.SendAsync(request);
    }

    private async Task<HttpRequestMessage> Authorised(HttpMethod method, string path)
    {
        using var auth = await Auth("system:root", "testpass");
        var request = new HttpRequestMessage(method, _cluster.ProxyUrl + path);
        request.Headers.Add("X-Auth-Token", auth.Headers.GetValues("X-Auth-Token").Single());
        return request;
    }

    private static string Md5(string text) =>
        Convert.ToHexString(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
