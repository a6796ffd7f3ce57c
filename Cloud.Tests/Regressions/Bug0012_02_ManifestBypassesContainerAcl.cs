using System.Net;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12 #2: test:tester3 may write only the container "shared" of AUTH_test, yet a large-object manifest there
/// naming "private/secret" (X-Object-Manifest for a DLO, a segment path for an SLO) let it read that object, and
/// <c>DELETE ?multipart-manifest=delete</c> delete it. Every segment and DLO listing is now authorized as if the caller
/// had asked for it.
/// </summary>
[Category("Integration")]
public sealed class Bug0012_02_ManifestBypassesContainerAcl
{
    private const string Secret = "the private bytes";
    private SwiftCluster _cluster = null!;
    private SwiftHttp _swift = null!;
    private string _owner = null!;
    private string _tester3 = null!;

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        _cluster = await SwiftCluster.StartAsync([SwiftHttp.Flag]);
        _swift = new SwiftHttp(_cluster);
        _owner = await _swift.TokenAsync("test:tester", "testing");
        _tester3 = await _swift.TokenAsync("test:tester3", "testing3");
        (await _swift.CallAsync(_owner, HttpMethod.Put, "/v1/AUTH_test/private")).Status.Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_owner, HttpMethod.Put, "/v1/AUTH_test/private/secret", Secret)).Status.Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_owner, HttpMethod.Put, "/v1/AUTH_test/shared", null,
            ("X-Container-Read", "test:tester3,.r:*"), ("X-Container-Write", "test:tester3"))).Status.Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_tester3, HttpMethod.Get, "/v1/AUTH_test/private/secret")).Status.Should().Be(HttpStatusCode.Forbidden, "the premise: tester3 cannot read private");
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        _swift.Dispose();
        await _cluster.DisposeAsync();
    }

    [Test]
    public async Task A_dlo_naming_a_container_the_caller_cannot_list_is_refused()
    {
        (await _swift.CallAsync(_tester3, HttpMethod.Put, "/v1/AUTH_test/shared/dlo", "", ("X-Object-Manifest", "private/"))).Status
            .Should().Be(HttpStatusCode.Created, "writing a manifest is writing an object");
        var (status, body) = await _swift.CallAsync(_tester3, HttpMethod.Get, "/v1/AUTH_test/shared/dlo");
        status.Should().Be(HttpStatusCode.Forbidden);
        body.Should().NotContain(Secret);
        (await _swift.CallAsync(null, HttpMethod.Get, "/v1/AUTH_test/shared/dlo")).Status.Should().Be(HttpStatusCode.Unauthorized, "shared is public (.r:*), private is not");
        var (ownerStatus, ownerBody) = await _swift.CallAsync(_owner, HttpMethod.Get, "/v1/AUTH_test/shared/dlo");
        (ownerStatus, ownerBody).Should().Be((HttpStatusCode.OK, Secret), "the account's owner may read what the manifest names");
    }

    [Test]
    public async Task An_slo_put_naming_a_segment_the_caller_cannot_read_fails_with_swifts_errors()
    {
        var manifest = "[{\"path\": \"/private/secret\", \"etag\": null, \"size_bytes\": null}]";
        var (status, body) = await _swift.CallAsync(_tester3, HttpMethod.Put, "/v1/AUTH_test/shared/slo?multipart-manifest=put", manifest);
        status.Should().Be(HttpStatusCode.BadRequest);
        body.Should().Be("Errors:\n/private/secret, 403 Forbidden\n");
        (await _swift.ListAsync(_owner, "/v1/AUTH_test/shared")).Should().NotContain("slo");
    }

    [Test]
    public async Task A_forged_slo_marker_is_refused()
    {
        (await _swift.CallAsync(_tester3, HttpMethod.Put, "/v1/AUTH_test/shared/forged", "[{\"name\": \"/private/secret\", \"hash\": \"x\", \"bytes\": 17}]")).Status
            .Should().Be(HttpStatusCode.Created);
        var (status, body) = await _swift.CallAsync(_tester3, HttpMethod.Post, "/v1/AUTH_test/shared/forged", null, ("X-Static-Large-Object", "True"));
        status.Should().Be(HttpStatusCode.BadRequest);
        body.Should().StartWith("X-Static-Large-Object is a reserved header.");
        (await _swift.CallAsync(_tester3, HttpMethod.Get, "/v1/AUTH_test/shared/forged")).Body.Should().NotContain(Secret);
    }

    [Test]
    public async Task An_slo_in_a_shared_container_reads_and_deletes_only_what_the_caller_may()
    {
        // The owner makes the manifest (it may read private); tester3 may read and write shared only.
        var manifest = "[{\"path\": \"/private/secret\"}]";
        (await _swift.CallAsync(_owner, HttpMethod.Put, "/v1/AUTH_test/shared/owners-slo?multipart-manifest=put", manifest)).Status.Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_owner, HttpMethod.Get, "/v1/AUTH_test/shared/owners-slo")).Body.Should().Be(Secret);

        var (status, body) = await _swift.CallAsync(_tester3, HttpMethod.Get, "/v1/AUTH_test/shared/owners-slo");
        status.Should().Be(HttpStatusCode.Forbidden);
        body.Should().NotContain(Secret);
        (await _swift.CallAsync(null, HttpMethod.Get, "/v1/AUTH_test/shared/owners-slo")).Status.Should().Be(HttpStatusCode.Unauthorized);

        var (deleteStatus, report) = await _swift.CallAsync(_tester3, HttpMethod.Delete, "/v1/AUTH_test/shared/owners-slo?multipart-manifest=delete");
        deleteStatus.Should().Be(HttpStatusCode.OK);
        report.Should().Contain("\"Response Status\":\"400 Bad Request\"").And.Contain("[\"/private/secret\",\"403 Forbidden\"]");
        var (secretStatus, secret) = await _swift.CallAsync(_owner, HttpMethod.Get, "/v1/AUTH_test/private/secret");
        (secretStatus, secret).Should().Be((HttpStatusCode.OK, Secret), "the segment tester3 may not write survives");
        (await _swift.ListAsync(_owner, "/v1/AUTH_test/private")).Should().Equal("secret");
    }

    [Test]
    public async Task The_swift_cli_as_the_acl_user_gets_403_for_a_manifest_over_private_and_no_bytes()
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        (await _swift.CallAsync(_tester3, HttpMethod.Put, "/v1/AUTH_test/shared/cli-dlo", "", ("X-Object-Manifest", "private/secret"))).Status.Should().Be(HttpStatusCode.Created);
        var download = await ExternalTool.RunAsync("/usr/bin/swift",
            ["-V", "1", "-A", _cluster.AuthUrl, "-U", "test:tester3", "-K", "testing3", "download", "shared", "cli-dlo", "-o", "cli-dlo.out"], _cluster.Work, timeout: TimeSpan.FromSeconds(60));
        download.ExitCode.Should().NotBe(0, download.ToString());
        (download.Stdout + download.Stderr).Should().Contain("403");
        var saved = Path.Combine(_cluster.Work, "cli-dlo.out");
        (File.Exists(saved) ? await File.ReadAllTextAsync(saved) : "").Should().NotContain(Secret);
    }
}
