using System.Net;
using System.Text;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12 #15 (swift parts): hostile input that reached a 500 or a broken answer. A chunk size that overflows, an
/// SLO manifest entry of the wrong JSON type, and a DLO whose prefix matches an SLO manifest (200 with the SLO's
/// length, then the manifest's bytes and a reset; a Range checked against the empty DLO manifest: 416 bytes */0).
/// </summary>
[Category("Integration")]
public sealed class Bug0012_15_HostileLargeObjectInputIsA4xx
{
    private SwiftCluster _cluster = null!;
    private SwiftHttp _swift = null!;
    private string _tester = null!;

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        _cluster = await SwiftCluster.StartAsync([SwiftHttp.Flag]);
        _swift = new SwiftHttp(_cluster);
        _tester = await _swift.TokenAsync("test:tester", "testing");
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/c")).Status.Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/c/seg", new string('s', 5000))).Status.Should().Be(HttpStatusCode.Created);
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        _swift.Dispose();
        await _cluster.DisposeAsync();
    }

    [Test]
    public async Task A_chunk_size_that_overflows_is_a_400_and_stores_nothing()
    {
        var proxy = new Uri(_cluster.ProxyUrl);
        var answer = await _swift.RawAsync(
            $"PUT /v1/AUTH_test/c/chunked HTTP/1.1\r\nHost: {proxy.Authority}\r\nX-Auth-Token: {_tester}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
            "fffffffffffffff\r\nabc\r\n0\r\n\r\n");
        answer.Should().StartWith("HTTP/1.1 400").And.Contain("Bad chunk size data");
        (await _swift.ListAsync(_tester, "/v1/AUTH_test/c")).Should().NotContain("chunked");
    }

    [TestCase("{\"path\": \"/c/seg\", \"size_bytes\": [5000]}", "Index 0: invalid size_bytes\n")]
    [TestCase("{\"path\": \"/c/seg\", \"size_bytes\": {\"n\": 1}}", "Index 0: invalid size_bytes\n")]
    [TestCase("{\"path\": \"/c/seg\", \"size_bytes\": \"5k\"}", "Index 0: invalid size_bytes\n")]
    [TestCase("{\"path\": \"/c/seg\", \"etag\": [\"x\"]}", "Index 0: \"etag\" must be a string or null (if provided)\n")]
    [TestCase("{\"path\": \"/c/seg\", \"etag\": 5}", "Index 0: \"etag\" must be a string or null (if provided)\n")]
    [TestCase("{\"path\": 7}", "Index 0: \"path\" must be a string\n")]
    [TestCase("{\"path\": \"/c/seg\", \"size_bytes\": true}", "Errors:\n/c/seg, Size Mismatch\n")]
    [TestCase("{\"path\": \"/c/seg\", \"sizebytes\": 5000}", "Index 0: extraneous keys \"sizebytes\"\n")]
    [TestCase("\"/c/seg\"", "Index 0: not a JSON object\n")]
    [TestCase("{\"path\": \"/c/seg\", \"range\": \"x-y\"}", "Index 0: invalid range\n")]
    [TestCase("{\"path\": \"/c/seg\", \"range\": [1]}", "Index 0: invalid range\n")]
    [TestCase("{\"path\": \"/c/seg\", \"range\": \"1-2,4-5\"}", "Index 0: multiple ranges (only one allowed)\n")]
    [TestCase("{\"path\": \"/c/seg\", \"range\": \"6000-\"}", "Errors:\n/c/seg, Unsatisfiable Range\n")]
    public async Task An_slo_entry_of_the_wrong_type_is_a_400_with_swifts_text(string entry, string expected)
    {
        var (status, body) = await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/c/bad?multipart-manifest=put", $"[{entry}]");
        (status, body).Should().Be((HttpStatusCode.BadRequest, expected));
        (await _swift.ListAsync(_tester, "/v1/AUTH_test/c")).Should().NotContain("bad");
    }

    [TestCase("{not json", "Manifest must be valid JSON.\n")]
    [TestCase("{\"path\": \"/c/seg\"}", "Manifest must be a list.\n")]
    public async Task A_manifest_that_is_not_a_list_is_a_400(string manifest, string expected)
    {
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/c/bad?multipart-manifest=put", manifest)).Should().Be((HttpStatusCode.BadRequest, expected));
    }

    [Test]
    public async Task A_size_given_as_a_numeric_string_is_taken_as_swift_does()
    {
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/c/numeric?multipart-manifest=put", "[{\"path\": \"/c/seg\", \"size_bytes\": \"5000\"}]")).Status
            .Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/c/numeric")).Should().Be((HttpStatusCode.OK, new string('s', 5000)));
    }

    [Test]
    public async Task A_dlo_over_an_slo_serves_the_joined_bytes_with_a_matching_length_and_ranges_over_them()
    {
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/segs")).Status.Should().Be(HttpStatusCode.Created);
        var first = new string('a', 600);
        var second = new string('b', 400);
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/segs/p1", first)).Status.Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/segs/p2", second)).Status.Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/parts")).Status.Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/parts/0-slo?multipart-manifest=put",
            "[{\"path\": \"/segs/p1\"}, {\"path\": \"/segs/p2\"}]")).Status.Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/parts/1-plain", "tail")).Status.Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/c/dlo", "", ("X-Object-Manifest", "parts/"))).Status.Should().Be(HttpStatusCode.Created);
        var whole = first + second + "tail";

        using (var get = await _swift.SendAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/c/dlo"))
        {
            get.StatusCode.Should().Be(HttpStatusCode.OK);
            get.Content.Headers.ContentLength.Should().Be(1004);
            Encoding.UTF8.GetString(await get.Content.ReadAsByteArrayAsync()).Should().Be(whole);
        }
        using (var head = await _swift.SendAsync(_tester, HttpMethod.Head, "/v1/AUTH_test/c/dlo"))
        {
            head.Content.Headers.ContentLength.Should().Be(1004);
        }
        foreach (var (range, start, length) in new[] { ("bytes=590-609", 590, 20), ("bytes=-6", 998, 6), ("bytes=1000-", 1000, 4), ("bytes=0-0", 0, 1) })
        {
            using var part = await _swift.SendAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/c/dlo", null, ("Range", range));
            part.StatusCode.Should().Be(HttpStatusCode.PartialContent, range);
            part.Content.Headers.ContentRange!.ToString().Should().Be($"bytes {start}-{start + length - 1}/1004");
            (await part.Content.ReadAsStringAsync()).Should().Be(whole.Substring(start, length), range);
        }
        using (var beyond = await _swift.SendAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/c/dlo", null, ("Range", "bytes=5000-")))
        {
            beyond.StatusCode.Should().Be(HttpStatusCode.RequestedRangeNotSatisfiable);
            beyond.Content.Headers.ContentRange!.ToString().Should().Be("bytes */1004");
        }
        using (var sloRange = await _swift.SendAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/parts/0-slo", null, ("Range", "bytes=595-604")))
        {
            sloRange.StatusCode.Should().Be(HttpStatusCode.PartialContent);
            (await sloRange.Content.ReadAsStringAsync()).Should().Be("aaaaabbbbb");
        }
    }

    [Test]
    public async Task An_slo_naming_an_slo_counts_and_serves_the_nested_object_whole()
    {
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/nest")).Status.Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/nest/x", "xxxx")).Status.Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/nest/inner?multipart-manifest=put", "[{\"path\": \"/c/seg\"}, {\"path\": \"/nest/x\"}]")).Status
            .Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/nest/outer?multipart-manifest=put",
            "[{\"path\": \"/nest/inner\", \"size_bytes\": 5004}, {\"path\": \"/nest/x\"}]")).Status.Should().Be(HttpStatusCode.Created);
        using var get = await _swift.SendAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/nest/outer");
        get.Content.Headers.ContentLength.Should().Be(5008);
        (await get.Content.ReadAsStringAsync()).Should().Be(new string('s', 5000) + "xxxxxxxx");
    }

    [Test]
    public async Task An_slo_segment_range_serves_only_that_part()
    {
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/ranged")).Status.Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/ranged/digits", "0123456789")).Status.Should().Be(HttpStatusCode.Created);
        (await _swift.CallAsync(_tester, HttpMethod.Put, "/v1/AUTH_test/ranged/slo?multipart-manifest=put",
            "[{\"path\": \"/ranged/digits\", \"range\": \"2-4\"}, {\"path\": \"/ranged/digits\", \"range\": \"-2\"}, {\"path\": \"/ranged/digits\", \"range\": \"0-\"}]")).Status
            .Should().Be(HttpStatusCode.Created);
        using (var get = await _swift.SendAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/ranged/slo"))
        {
            get.Content.Headers.ContentLength.Should().Be(15);
            (await get.Content.ReadAsStringAsync()).Should().Be("234" + "89" + "0123456789");
        }
        using var part = await _swift.SendAsync(_tester, HttpMethod.Get, "/v1/AUTH_test/ranged/slo", null, ("Range", "bytes=1-6"));
        (await part.Content.ReadAsStringAsync()).Should().Be("348901");
        (await _swift.ListAsync(_tester, "/v1/AUTH_test/ranged")).Should().Equal("digits", "slo");
    }
}
