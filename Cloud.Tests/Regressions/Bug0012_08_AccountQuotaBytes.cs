using System.Net;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12 #8 (swift part): <c>X-Account-Meta-Quota-Bytes</c> was plain metadata: the account's own admin could set or
/// lift it, and nothing held uploads to it. As swift's account_quotas: only a reseller admin sets or removes it, and a
/// PUT or copy that would pass it gets 413 "Upload exceeds quota." and stores nothing.
/// </summary>
[Category("Integration")]
public sealed class Bug0012_08_AccountQuotaBytes
{
    private SwiftCluster _cluster = null!;
    private SwiftHttp _swift = null!;
    private string _reseller = null!;
    private string _tester = null!;

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        _cluster = await SwiftCluster.StartAsync([SwiftHttp.Flag]);
        _swift = new SwiftHttp(_cluster);
        _reseller = await _swift.TokenAsync("system:root", "testpass");
        _tester = await _swift.TokenAsync("test:tester", "testing");
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/c")).Status.Should().Be(HttpStatusCode.Created);
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        _swift.Dispose();
        await _cluster.DisposeAsync();
    }

    [Test]
    public async Task Only_a_reseller_admin_sets_the_quota_and_uploads_past_it_are_refused()
    {
        (await _swift.CallAsync(_tester, HttpMethod.Post, "/v1/AUTH_test", null, ("X-Account-Meta-Quota-Bytes", "100000"))).Status
            .Should().Be(HttpStatusCode.Forbidden, "an account's own admin may not set its quota");
        (await _swift.CallAsync(_reseller, HttpMethod.Post, "/v1/AUTH_test", null, ("X-Account-Meta-Quota-Bytes", "ten"))).Status
            .Should().Be(HttpStatusCode.BadRequest);
        (await _swift.CallAsync(_reseller, HttpMethod.Post, "/v1/AUTH_test", null, ("X-Account-Meta-Quota-Bytes", "10"))).Status
            .Should().Be(HttpStatusCode.NoContent);
        using (var head = await _swift.SendAsync(_tester, HttpMethod.Head, "/v1/AUTH_test"))
        {
            head.Headers.GetValues("X-Account-Meta-Quota-Bytes").Should().Equal("10");
        }
        (await _swift.CallAsync(_tester, HttpMethod.Post, "/v1/AUTH_test", null, ("X-Remove-Account-Meta-Quota-Bytes", "x"))).Status
            .Should().Be(HttpStatusCode.Forbidden, "nor lift it");

        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/c/big", "eleven bytes")).Should().Be((HttpStatusCode.RequestEntityTooLarge, "Upload exceeds quota."));
        var chunked = await _swift.RawAsync(
            $"PUT /v1/AUTH_test/c/chunked HTTP/1.1\r\nHost: {new Uri(_cluster.ProxyUrl).Authority}\r\nX-Auth-Token: {_tester}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
            "c\r\neleven bytes\r\n0\r\n\r\n");
        chunked.Should().StartWith("HTTP/1.1 413").And.EndWith("Upload exceeds quota.");
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/c/small", "four")).Status.Should().Be(HttpStatusCode.Created);

        (await _swift.CallAsync(_reseller, HttpMethod.Post, "/v1/AUTH_test", null, ("X-Account-Meta-Quota-Bytes", "3"))).Status.Should().Be(HttpStatusCode.NoContent);
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/c/copy", null, ("X-Copy-From", "c/small"))).Should()
            .Be((HttpStatusCode.RequestEntityTooLarge, "Upload exceeds quota."));
        (await _swift.CallAsync(_tester, new HttpMethod("COPY"), "/v1/AUTH_test/c/small", null, ("Destination", "c/copy2"))).Status
            .Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await _swift.ListAsync(_tester, "/v1/AUTH_test/c")).Should().Equal("small");

        (await _swift.CallAsync(_reseller, HttpMethod.Put, "/v1/AUTH_test/c/resellers", "reseller admins are not held to it")).Status
            .Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_reseller, HttpMethod.Post, "/v1/AUTH_test", null, ("X-Remove-Account-Meta-Quota-Bytes", "x"))).Status.Should().Be(HttpStatusCode.NoContent);
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/c/big", "eleven bytes")).Status.Should().Be(HttpStatusCode.Created);
    }
}
