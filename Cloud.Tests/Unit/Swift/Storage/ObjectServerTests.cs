using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cloud.Modules.Swift.Storage.DiskFile;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Storage;

public sealed class ObjectServerTests
{
    private const string T1 = "1700000001.00000";
    private const string T2 = "1700000002.00000";
    private const string T3 = "1700000003.00000";

    private ObjectServerHarness _server = default!;

    [SetUp]
    public async Task StartServer() => _server = await ObjectServerHarness.StartAsync();

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task An_object_put_with_metadata_reads_back_with_get_and_head_and_deletes()
    {
        var put = await _server.PutAsync("photos/cat.jpg", T1, "hello world", ("X-Object-Meta-Color", "orange"));
        put.StatusCode.Should().Be(HttpStatusCode.Created);
        put.Headers.ETag!.Tag.Should().Be($"\"{Md5("hello world")}\"");

        var get = await _server.SendAsync(HttpMethod.Get, "/sda1/0/a/c/photos/cat.jpg");
        get.StatusCode.Should().Be(HttpStatusCode.OK);
        (await get.Content.ReadAsStringAsync()).Should().Be("hello world");
        get.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        get.Content.Headers.ContentLength.Should().Be(11);
        get.Headers.GetValues("X-Object-Meta-Color").Should().Equal("orange");
        get.Headers.GetValues("X-Timestamp").Should().Equal(T1);
        get.Content.Headers.LastModified.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1700000001));

        var head = await _server.SendAsync(HttpMethod.Head, "/sda1/0/a/c/photos/cat.jpg");
        head.StatusCode.Should().Be(HttpStatusCode.OK);
        head.Content.Headers.ContentLength.Should().Be(11);
        (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        head.Headers.ETag!.Tag.Should().Be($"\"{Md5("hello world")}\"");

        (await _server.SendAsync(HttpMethod.Delete, "/sda1/0/a/c/photos/cat.jpg", T2)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await _server.SendAsync(HttpMethod.Get, "/sda1/0/a/c/photos/cat.jpg")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_put_whose_etag_does_not_match_the_body_is_refused_and_leaves_nothing_on_disk()
    {
        var put = await _server.PutAsync("o", T1, "hello", ("ETag", Md5("something else")));

        put.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        _server.FileNames("o").Should().BeEmpty();
        Directory.GetFiles(Path.Combine(_server.DevicePath, "tmp")).Should().BeEmpty();
        (await _server.SendAsync(HttpMethod.Get, "/sda1/0/a/c/o")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_put_whose_etag_matches_is_stored()
    {
        (await _server.PutAsync("o", T1, "hello", ("ETag", $"\"{Md5("hello")}\""))).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Test]
    public async Task The_last_write_wins_by_timestamp_and_older_files_are_removed()
    {
        (await _server.PutAsync("o", T2, "second")).StatusCode.Should().Be(HttpStatusCode.Created);

        var older = await _server.PutAsync("o", T1, "first");
        older.StatusCode.Should().Be(HttpStatusCode.Conflict);
        older.Headers.GetValues("X-Backend-Timestamp").Should().Equal(T2);
        (await _server.PutAsync("o", T2, "same")).StatusCode.Should().Be(HttpStatusCode.Conflict);

        (await _server.PutAsync("o", T3, "third")).StatusCode.Should().Be(HttpStatusCode.Created);
        _server.FileNames("o").Should().Equal($"{T3}.data");
        (await (await _server.SendAsync(HttpMethod.Get, "/sda1/0/a/c/o")).Content.ReadAsStringAsync()).Should().Be("third");
    }

    [Test]
    public async Task A_delete_leaves_a_tombstone_that_a_later_get_reports()
    {
        await _server.PutAsync("o", T1, "data");

        (await _server.SendAsync(HttpMethod.Delete, "/sda1/0/a/c/o", T2)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        _server.FileNames("o").Should().Equal($"{T2}.ts");
        var get = await _server.SendAsync(HttpMethod.Get, "/sda1/0/a/c/o");
        get.StatusCode.Should().Be(HttpStatusCode.NotFound);
        get.Headers.GetValues("X-Backend-Timestamp").Should().Equal(T2);
        (await _server.PutAsync("o", T1, "late")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await _server.SendAsync(HttpMethod.Delete, "/sda1/0/a/c/o", T3)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        _server.FileNames("o").Should().Equal($"{T3}.ts");
    }

    [Test]
    public async Task A_delete_with_x_if_delete_at_removes_only_the_object_that_expires_then()
    {
        await _server.PutAsync("o", T1, "data", ("X-Delete-At", "4000000000"));

        var wrong = await _server.SendAsync(HttpMethod.Delete, "/sda1/0/a/c/o", T2, null, ("X-If-Delete-At", "4000000001"));
        wrong.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        (await wrong.Content.ReadAsStringAsync()).Should().Be("X-If-Delete-At and X-Delete-At do not match");
        (await _server.SendAsync(HttpMethod.Delete, "/sda1/0/a/c/o", T2, null, ("X-If-Delete-At", "soon"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        _server.FileNames("o").Should().Equal($"{T1}.data");
        (await _server.SendAsync(HttpMethod.Delete, "/sda1/0/a/c/o", T2, null, ("X-If-Delete-At", "4000000000"))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        _server.FileNames("o").Should().Equal($"{T2}.ts");
        (await _server.SendAsync(HttpMethod.Delete, "/sda1/0/a/c/o", T3, null, ("X-If-Delete-At", "4000000000"))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_delete_of_a_missing_object_is_404_but_records_the_tombstone()
    {
        (await _server.SendAsync(HttpMethod.Delete, "/sda1/0/a/c/o", T2)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        _server.FileNames("o").Should().Equal($"{T2}.ts");
        (await _server.PutAsync("o", T1, "late")).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Test]
    public async Task A_delete_older_than_the_object_conflicts()
    {
        await _server.PutAsync("o", T2, "data");

        (await _server.SendAsync(HttpMethod.Delete, "/sda1/0/a/c/o", T1)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        _server.FileNames("o").Should().Equal($"{T2}.data");
    }

    [TestCase("PUT")]
    [TestCase("DELETE")]
    [TestCase("POST")]
    public async Task Writes_need_a_well_formed_x_timestamp(string method)
    {
        var content = method == "PUT" ? new StringContent("x") : null;
        (await _server.SendAsync(new HttpMethod(method), "/sda1/0/a/c/o", null, content)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var malformed = await _server.SendAsync(new HttpMethod(method), "/sda1/0/a/c/o", "yesterday", method == "PUT" ? new StringContent("x") : null);
        malformed.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        malformed.Content.Headers.ContentType!.MediaType.Should().Be("text/html"); // swob's error page
    }

    [Test]
    public async Task A_timestamp_is_normalised_to_swifts_format()
    {
        (await _server.PutAsync("o", "1700000000.5", "x")).StatusCode.Should().Be(HttpStatusCode.Created);

        _server.FileNames("o").Should().Equal("1700000000.50000.data");
    }

    [TestCase("bytes=2-5", "2345", "bytes 2-5/10")]
    [TestCase("bytes=-3", "789", "bytes 7-9/10")]
    [TestCase("bytes=7-", "789", "bytes 7-9/10")]
    [TestCase("bytes=8-100", "89", "bytes 8-9/10")]
    public async Task A_single_byte_range_is_served_as_partial_content(string range, string body, string contentRange)
    {
        await _server.PutAsync("o", T1, "0123456789");

        var get = await _server.SendAsync(HttpMethod.Get, "/sda1/0/a/c/o", null, null, ("Range", range));

        get.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        (await get.Content.ReadAsStringAsync()).Should().Be(body);
        get.Content.Headers.ContentRange!.ToString().Should().Be(contentRange);
    }

    [Test]
    public async Task A_range_past_the_end_is_not_satisfiable()
    {
        await _server.PutAsync("o", T1, "0123456789");

        var get = await _server.SendAsync(HttpMethod.Get, "/sda1/0/a/c/o", null, null, ("Range", "bytes=10-"));

        get.StatusCode.Should().Be(HttpStatusCode.RequestedRangeNotSatisfiable);
        get.Content.Headers.ContentRange!.ToString().Should().Be("bytes */10");
    }

    [Test]
    public async Task Conditional_requests_compare_the_etag()
    {
        await _server.PutAsync("o", T1, "data");
        var etag = $"\"{Md5("data")}\"";

        (await _server.SendAsync(HttpMethod.Get, "/sda1/0/a/c/o", null, null, ("If-None-Match", etag))).StatusCode.Should().Be(HttpStatusCode.NotModified);
        (await _server.SendAsync(HttpMethod.Get, "/sda1/0/a/c/o", null, null, ("If-None-Match", "\"other\""))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _server.SendAsync(HttpMethod.Get, "/sda1/0/a/c/o", null, null, ("If-Match", etag))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _server.SendAsync(HttpMethod.Get, "/sda1/0/a/c/o", null, null, ("If-Match", "\"other\""))).StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
    }

    [Test]
    public async Task Several_ranges_are_a_multipart_answer_as_swob_writes_it()
    {
        await _server.PutAsync("o", T1, "0123456789");

        var get = await _server.SendAsync(HttpMethod.Get, "/sda1/0/a/c/o", null, null, ("Range", "bytes=0-1, 7-"));

        get.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        var type = get.Content.Headers.NonValidated["Content-Type"].ToString();
        type.Should().MatchRegex("^multipart/byteranges;boundary=[0-9a-f]{32}$");
        var boundary = type[(type.IndexOf('=') + 1)..];
        var body = await get.Content.ReadAsStringAsync();
        var stored = (await _server.SendAsync(HttpMethod.Head, "/sda1/0/a/c/o")).Content.Headers.ContentType!.ToString();
        body.Should().Be($"--{boundary}\r\nContent-Type: {stored}\r\nContent-Range: bytes 0-1/10\r\n\r\n01\r\n"
            + $"--{boundary}\r\nContent-Type: {stored}\r\nContent-Range: bytes 7-9/10\r\n\r\n789\r\n--{boundary}--");
        get.Content.Headers.ContentLength.Should().Be(Encoding.UTF8.GetByteCount(body));
    }

    [TestCase("bytes = 2-3", HttpStatusCode.PartialContent, "23")]
    [TestCase("bytes=0-1,50-60", HttpStatusCode.PartialContent, "01")]
    [TestCase("bytes=5-1", HttpStatusCode.OK, "0123456789")]
    [TestCase("bytes=a-3", HttpStatusCode.OK, "0123456789")]
    [TestCase("pages=1", HttpStatusCode.OK, "0123456789")]
    [TestCase("bytes=-0", HttpStatusCode.RequestedRangeNotSatisfiable, null)]
    [TestCase("bytes=0-0,0-0,0-0,0-0", HttpStatusCode.OK, "0123456789")]
    public async Task Ranges_are_read_as_swob_reads_them(string range, HttpStatusCode status, string? body)
    {
        await _server.PutAsync("o", T1, "0123456789");

        var get = await _server.SendAsync(HttpMethod.Get, "/sda1/0/a/c/o", null, null, ("Range", range));

        get.StatusCode.Should().Be(status);
        if (body is not null)
        {
            (await get.Content.ReadAsStringAsync()).Should().Be(body);
        }
    }

    [Test]
    public async Task An_unsatisfiable_range_keeps_the_object_type_and_a_head_ignores_the_range()
    {
        await _server.PutAsync("o", T1, "0123456789");

        var get = await _server.SendAsync(HttpMethod.Get, "/sda1/0/a/c/o", null, null, ("Range", "bytes=100-"));
        get.StatusCode.Should().Be(HttpStatusCode.RequestedRangeNotSatisfiable);
        get.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        (await get.Content.ReadAsStringAsync()).Should().Contain("Requested Range Not Satisfiable");

        var head = await _server.SendAsync(HttpMethod.Head, "/sda1/0/a/c/o", null, null, ("Range", "bytes=0-1"));
        head.StatusCode.Should().Be(HttpStatusCode.OK);
        head.Content.Headers.ContentLength.Should().Be(10);
    }

    [TestCase("If-Modified-Since", "Tue, 14 Nov 2023 22:13:21 GMT", HttpStatusCode.NotModified)]
    [TestCase("If-Modified-Since", "Tue, 14 Nov 2023 22:13:20 GMT", HttpStatusCode.OK)]
    [TestCase("If-Modified-Since", "yesterday", HttpStatusCode.OK)]
    [TestCase("If-Unmodified-Since", "Tue, 14 Nov 2023 22:13:21 GMT", HttpStatusCode.OK)]
    [TestCase("If-Unmodified-Since", "Tue, 14 Nov 2023 22:13:20 GMT", HttpStatusCode.PreconditionFailed)]
    [TestCase("If-Unmodified-Since", "not a date", HttpStatusCode.OK)]
    public async Task Dates_are_compared_with_the_last_modified_second_rounded_up(string header, string date, HttpStatusCode expected)
    {
        // Written at 1700000000.5: Last-Modified is 1700000001, Tue, 14 Nov 2023 22:13:21 GMT.
        await _server.PutAsync("o", "1700000000.50000", "data");

        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
        {
            var answer = await _server.SendAsync(method, "/sda1/0/a/c/o", null, null, (header, date));
            answer.StatusCode.Should().Be(expected, method.Method);
            if (expected == HttpStatusCode.NotModified)
            {
                answer.Content.Headers.ContentType!.MediaType.Should().Be("text/plain", "swob keeps the object's headers on a 304");
            }
        }
    }

    [Test]
    public async Task Objects_of_another_storage_policy_live_in_its_own_directory()
    {
        var put = await _server.PutAsync("o", T1, "silver", ("X-Backend-Storage-Policy-Index", "1"));
        put.StatusCode.Should().Be(HttpStatusCode.Created);

        Directory.Exists(Path.Combine(_server.DevicePath, "objects-1")).Should().BeTrue();
        (await _server.SendAsync(HttpMethod.Get, "/sda1/0/a/c/o")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var get = await _server.SendAsync(HttpMethod.Get, "/sda1/0/a/c/o", null, null, ("X-Backend-Storage-Policy-Index", "1"));
        (await get.Content.ReadAsStringAsync()).Should().Be("silver");
        (await _server.SendAsync(HttpMethod.Get, "/sda1/0/a/c/o", null, null, ("X-Backend-Storage-Policy-Index", "-1"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task A_post_replaces_the_user_metadata()
    {
        await _server.PutAsync("o", T1, "data", ("X-Object-Meta-Color", "red"), ("X-Object-Meta-Size", "big"));

        (await _server.SendAsync(HttpMethod.Post, "/sda1/0/a/c/o", T2, null, ("X-Object-Meta-Color", "blue"))).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var head = await _server.SendAsync(HttpMethod.Head, "/sda1/0/a/c/o");
        head.Headers.GetValues("X-Object-Meta-Color").Should().Equal("blue");
        head.Headers.Contains("X-Object-Meta-Size").Should().BeFalse();
        head.Headers.GetValues("X-Timestamp").Should().Equal(T2);
        (await _server.SendAsync(HttpMethod.Post, "/sda1/0/a/c/o", T1)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await _server.SendAsync(HttpMethod.Post, "/sda1/0/a/c/missing", T3)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Metadata_beyond_swifts_limits_is_refused()
    {
        (await _server.PutAsync("o", T1, "x", ("X-Object-Meta-" + new string('n', 129), "v"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await _server.PutAsync("o", T1, "x", ("X-Object-Meta-Big", new string('v', 257)))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var many = Enumerable.Range(0, 20).Select(i => ($"X-Object-Meta-K{i:D2}", new string('v', 250))).ToArray();
        var tooLarge = await _server.PutAsync("o", T1, "x", many);
        tooLarge.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await tooLarge.Content.ReadAsStringAsync()).Should().Contain("Total metadata too large");
        _server.FileNames("o").Should().BeEmpty();
    }

    [Test]
    public async Task Metadata_within_swifts_limits_but_beyond_the_xattr_space_is_a_bad_request_not_a_server_error()
    {
        var many = Enumerable.Range(0, 16).Select(i => ($"X-Object-Meta-K{i:D2}", new string('v', 250))).ToArray();

        var put = await _server.PutAsync("o", T1, "x", many);

        put.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await put.Content.ReadAsStringAsync()).Should().Contain("xattr");
        _server.FileNames("o").Should().BeEmpty();
        Directory.GetFiles(Path.Combine(_server.DevicePath, "tmp")).Should().BeEmpty();
    }

    [Test]
    public async Task Concurrent_puts_leave_only_the_newest()
    {
        var puts = Enumerable.Range(1, 12).Select(i => _server.PutAsync("o", $"17000000{i:D2}.00000", $"v{i}"));

        await Task.WhenAll(puts);

        _server.FileNames("o").Should().Equal("1700000012.00000.data");
        (await (await _server.SendAsync(HttpMethod.Get, "/sda1/0/a/c/o")).Content.ReadAsStringAsync()).Should().Be("v12");
    }

    [Test]
    public async Task A_put_without_content_type_is_stored_as_octet_stream()
    {
        var put = await _server.SendAsync(HttpMethod.Put, "/sda1/0/a/c/o", T1, new ByteArrayContent([1, 2, 3]));
        put.StatusCode.Should().Be(HttpStatusCode.Created);

        (await _server.SendAsync(HttpMethod.Head, "/sda1/0/a/c/o")).Content.Headers.ContentType!.MediaType.Should().Be("application/octet-stream");
    }

    [TestCase("/sda1/x/a/c/o")]
    [TestCase("/sda1/0/a/c")]
    [TestCase("/sda1/0/a/c/")]
    [TestCase("/sda1/-1/a/c/o")]
    [TestCase("/sda1%2F..%2F..%2Fetc/0/a/c/o")]
    public async Task A_malformed_path_is_a_bad_request(string path)
    {
        var get = await _server.SendAsync(HttpMethod.Get, path);

        get.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task An_unknown_device_is_insufficient_storage()
    {
        (await _server.SendAsync(HttpMethod.Get, "/sdz9/0/a/c/o")).StatusCode.Should().Be(HttpStatusCode.InsufficientStorage);
    }

    [Test]
    public async Task With_mount_check_a_device_that_is_not_a_mount_point_is_insufficient_storage()
    {
        await using var checking = await ObjectServerHarness.StartAsync(mountCheck: true);

        (await checking.PutAsync("o", T1, "x")).StatusCode.Should().Be(HttpStatusCode.InsufficientStorage);
    }

    [Test]
    public async Task The_object_lands_in_swifts_layout_with_its_metadata_in_an_xattr()
    {
        await _server.SendAsync(HttpMethod.Put, "/sda1/7/a/c/o", T1, new StringContent("data"), ("X-Object-Meta-Color", "red"));

        var hex = _server.Hash.Hex("a", "c", "o");
        var data = Path.Combine(_server.DevicePath, "objects", "7", hex[^3..], hex, $"{T1}.data");
        File.ReadAllText(data).Should().Be("data");
        var metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(Xattr.Get(data, "user.swift.metadata")!)!;
        metadata.Should().Contain("name", "/a/c/o").And.Contain("X-Timestamp", T1).And.Contain("ETag", Md5("data"))
            .And.Contain("Content-Length", "4").And.Contain("X-Object-Meta-Color", "red");
    }

    [Test]
    public async Task A_20_mib_object_streams_through_chunked_and_back()
    {
        var content = new byte[20 << 20];
        new Random(7).NextBytes(content);
        // A non-seekable stream of unknown length makes HttpClient send the body chunked.
        var put = await _server.SendAsync(HttpMethod.Put, "/sda1/0/a/c/big", T1, new StreamContent(new UnseekableStream(content)));
        put.StatusCode.Should().Be(HttpStatusCode.Created);
        put.Headers.ETag!.Tag.Should().Be($"\"{Convert.ToHexString(MD5.HashData(content)).ToLowerInvariant()}\"");

        using var get = await _server.Client.GetAsync("/sda1/0/a/c/big", HttpCompletionOption.ResponseHeadersRead);
        get.Content.Headers.ContentLength.Should().Be(content.Length);
        await using var body = await get.Content.ReadAsStreamAsync();
        (await MD5.HashDataAsync(body)).Should().Equal(MD5.HashData(content));
    }

    private static string Md5(string text) => Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
