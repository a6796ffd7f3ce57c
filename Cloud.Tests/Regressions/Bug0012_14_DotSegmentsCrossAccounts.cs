using System.Net;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12 #14: as test:tester, <c>PUT /v1/AUTH_test/c/a/../../../AUTH_other/c/o</c> was authorized for AUTH_test, then
/// the proxy's <see cref="Uri"/> to the storage servers removed the dot segments and the object landed in AUTH_other.
/// Swift keeps such an object name literally in the container authorized; names of accounts and containers that are
/// dot segments are refused.
/// </summary>
[Category("Integration")]
public sealed class Bug0012_14_DotSegmentsCrossAccounts
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
        (await _swift.CallAsync(_bob, HttpMethod.Put, "/v1/AUTH_other/c")).Status.Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/c")).Status.Should().Be(HttpStatusCode.Created);
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        _swift.Dispose();
        await _cluster.DisposeAsync();
    }

    [TestCase("a/../../../AUTH_other/c/o")]
    [TestCase("a/%2e%2e/%2e%2e/%2e%2e/AUTH_other/c/o2")]
    [TestCase("b/%2E%2E/%2E%2E/%2E%2E/AUTH_other/c/o3")]
    public async Task An_object_name_with_dot_segments_stays_in_the_container_it_was_authorized_for(string rawName)
    {
        var name = Uri.UnescapeDataString(rawName);
        (await _swift.CallAsync(_tester, HttpMethod.Put, $"/v1/AUTH_test/c/{rawName}", "mine")).Status.Should().Be(HttpStatusCode.Created);

        (await _swift.ListAsync(_bob, "/v1/AUTH_other/c")).Should().BeEmpty("nothing may reach the other account");
        (await _swift.CallAsync(_bob, HttpMethod.Get, $"/v1/AUTH_other/c/{name.Split('/')[^1]}")).Status.Should().Be(HttpStatusCode.NotFound);
        (await _swift.ListAsync(_tester, "/v1/AUTH_test/c")).Should().Contain(name, "swift stores the name literally");
        (await _swift.CallAsync(_tester, HttpMethod.Get, $"/v1/AUTH_test/c/{rawName}")).Should().Be((HttpStatusCode.OK, "mine"));
        (await _swift.CallAsync(_tester, HttpMethod.Delete, $"/v1/AUTH_test/c/{rawName}")).Status.Should().Be(HttpStatusCode.NoContent);
        (await _swift.ListAsync(_tester, "/v1/AUTH_test/c")).Should().NotContain(name);
    }

    [TestCase("/v1/AUTH_test/..")]
    [TestCase("/v1/AUTH_test/%2e%2e")]
    [TestCase("/v1/AUTH_test/./o")]
    [TestCase("/v1/AUTH_test/%2E/o")]
    [TestCase("/v1/AUTH_test/../AUTH_other/c/o")]
    [TestCase("/v1/../v1/AUTH_other/c/o")]
    public async Task A_container_or_account_named_as_a_dot_segment_is_refused(string path)
    {
        var (status, body) = await _swift.CallAsync(_tester, HttpMethod.Put, path, "x");
        status.Should().BeOneOf(HttpStatusCode.BadRequest, HttpStatusCode.Forbidden);
        body.Should().NotBeEmpty();
        (await _swift.ListAsync(_bob, "/v1/AUTH_other/c")).Should().BeEmpty();
        (await _swift.CallAsync(_tester, HttpMethod.Get, "/v1/AUTH_test?format=plain")).Body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Should().Equal("c");
    }
}
