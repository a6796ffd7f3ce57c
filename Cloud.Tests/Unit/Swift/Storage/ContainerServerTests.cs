using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Cloud.Modules.Kernel.Http;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Storage;
using Cloud.Modules.Swift.Storage.Db;
using Cloud.Modules.Swift.Storage.Replication;
using Cloud.Modules.Swift.Storage.Updater;
using Cloud.Tests.Support;
using Dapper;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Storage;

public sealed class ContainerServerTests
{
    private readonly SwiftHash _hash = new("", "cloudd-test");
    private DatabaseServerHarness _server = null!;
    private ContainerServer _container = null!;

    [SetUp]
    public async Task Start() => _server = await DatabaseServerHarness.StartAsync(flags =>
        (_container = new ContainerServer(flags, _hash, TimeProvider.System, NullLogger<ContainerServer>.Instance)).HttpOptions("swift-storage"));

    [TearDown]
    public async Task Stop() => await _server.DisposeAsync();

    [Test]
    public async Task A_container_is_created_once_and_accepted_after()
    {
        (await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "1.00000"), ("X-Container-Meta-Color", "blue"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "2.00000"))).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var head = await Send(HttpMethod.Head, "/sda1/0/a/c");

        head.StatusCode.Should().Be(HttpStatusCode.NoContent);
        Header(head, "X-Container-Object-Count").Should().Be("0");
        Header(head, "X-Container-Bytes-Used").Should().Be("0");
        Header(head, "X-Timestamp").Should().Be("0000000001.00000");
        Header(head, "X-Container-Meta-Color").Should().Be("blue");
    }

    [Test]
    public async Task A_post_updates_metadata_and_an_empty_value_removes_it()
    {
        await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "1"), ("X-Container-Meta-Color", "blue"));

        (await Send(HttpMethod.Post, "/sda1/0/a/c", ("X-Timestamp", "2"), ("X-Container-Meta-Color", ""), ("X-Container-Read", ".r:*"))).StatusCode
            .Should().Be(HttpStatusCode.NoContent);

        var head = await Send(HttpMethod.Head, "/sda1/0/a/c");
        head.Headers.Contains("X-Container-Meta-Color").Should().BeFalse();
        Header(head, "X-Container-Read").Should().Be(".r:*");
    }

    [Test]
    public async Task Object_rows_count_in_the_headers_and_list_as_json()
    {
        await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "1"));
        await PutRow("b", 10, "1795917876.00000");
        await PutRow("a", 5, "1795917877.5");

        var get = await Send(HttpMethod.Get, "/sda1/0/a/c?format=json");

        get.StatusCode.Should().Be(HttpStatusCode.OK);
        Header(get, "X-Container-Object-Count").Should().Be("2");
        Header(get, "X-Container-Bytes-Used").Should().Be("15");
        using var json = JsonDocument.Parse(await get.Content.ReadAsStringAsync());
        var first = json.RootElement[0];
        first.GetProperty("name").GetString().Should().Be("a");
        first.GetProperty("hash").GetString().Should().Be("etag-a");
        first.GetProperty("bytes").GetInt64().Should().Be(5);
        first.GetProperty("content_type").GetString().Should().Be("text/plain");
        first.GetProperty("last_modified").GetString().Should().Be("2026-11-29T02:04:37.500000");
        json.RootElement[1].GetProperty("name").GetString().Should().Be("b");
    }

    [Test]
    public async Task The_newer_timestamp_wins_for_object_rows()
    {
        await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "1"));
        await PutRow("o", 10, "20");
        await PutRow("o", 99, "10");
        (await Send(HttpMethod.Delete, "/sda1/0/a/c/o", ("X-Timestamp", "15"))).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await Names("?format=json")).Should().Equal("o");
        Header(await Send(HttpMethod.Head, "/sda1/0/a/c"), "X-Container-Bytes-Used").Should().Be("10");

        await Send(HttpMethod.Delete, "/sda1/0/a/c/o", ("X-Timestamp", "30"));
        (await Names("?format=json")).Should().BeEmpty();
        await PutRow("o", 7, "25");
        (await Names("?format=json")).Should().BeEmpty("a row older than its delete stays deleted");
    }

    [Test]
    public async Task The_stored_totals_follow_overwrites_deletes_and_undeletes()
    {
        await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "1"));
        await PutRow("o", 10, "2");
        await PutRow("p", 3, "2");
        await PutRow("o", 25, "3");
        (await Totals()).Should().Be(("2", "28"));

        await Send(HttpMethod.Delete, "/sda1/0/a/c/o", ("X-Timestamp", "4"));
        (await Totals()).Should().Be(("1", "3"));
        await Send(HttpMethod.Delete, "/sda1/0/a/c/o", ("X-Timestamp", "5"));
        await PutRow("o", 7, "4");
        (await Totals()).Should().Be(("1", "3"), "neither a second delete nor an older row changes them");

        await PutRow("o", 7, "6");
        (await Totals()).Should().Be(("2", "10"));
    }

    [Test]
    public async Task A_container_database_from_before_stored_totals_is_upgraded_when_opened()
    {
        await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "1"));
        await PutRow("a", 4, "2");
        await PutRow("b", 6, "2");
        await Send(HttpMethod.Delete, "/sda1/0/a/c/b", ("X-Timestamp", "3"));
        var file = Directory.EnumerateFiles(_server.DevicesPath, "*.db", SearchOption.AllDirectories).Single();
        // The layout of the previous release: totals counted on every read, no columns or triggers, user_version 1.
        using (var db = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            db.Open();
            db.Execute("""
                DROP TRIGGER object_insert_counts; DROP TRIGGER object_update_counts; DROP TRIGGER object_delete_counts;
                ALTER TABLE container_info DROP COLUMN object_count; ALTER TABLE container_info DROP COLUMN bytes_used;
                PRAGMA user_version = 1;
                """);
        }
        SqliteConnection.ClearAllPools();

        (await Totals()).Should().Be(("1", "4"));
        await PutRow("c", 5, "4");
        (await Totals()).Should().Be(("2", "9"));
    }

    [Test]
    public async Task A_container_with_objects_cannot_be_deleted()
    {
        await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "1"));
        await PutRow("o", 1, "2");

        (await Send(HttpMethod.Delete, "/sda1/0/a/c", ("X-Timestamp", "3"))).StatusCode.Should().Be(HttpStatusCode.Conflict);

        await Send(HttpMethod.Delete, "/sda1/0/a/c/o", ("X-Timestamp", "4"));
        (await Send(HttpMethod.Delete, "/sda1/0/a/c", ("X-Timestamp", "5"))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await Send(HttpMethod.Head, "/sda1/0/a/c")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Send(HttpMethod.Delete, "/sda1/0/a/c", ("X-Timestamp", "6"))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "7"))).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Test]
    public async Task Listings_honour_prefix_end_marker_limit_and_reverse()
    {
        await Fill("a", "b1", "b2", "b3", "c");

        (await Names("?format=json&prefix=b")).Should().Equal("b1", "b2", "b3");
        (await Names("?format=json&marker=a&end_marker=b3")).Should().Equal("b1", "b2");
        (await Names("?format=json&limit=2")).Should().Equal("a", "b1");
        (await Names("?format=json&reverse=true")).Should().Equal("c", "b3", "b2", "b1", "a");
        (await Names("?format=json&reverse=true&marker=b3&end_marker=a")).Should().Equal("b2", "b1");
        (await Names("?format=json&reverse=true&prefix=b&limit=2")).Should().Equal("b3", "b2");
    }

    [Test]
    public async Task A_delimiter_folds_names_into_subdirs()
    {
        await Fill("a/1", "a/2", "a/b/3", "b", "c/1");

        var top = await Send(HttpMethod.Get, "/sda1/0/a/c?format=json&delimiter=/");
        var body = await top.Content.ReadAsStringAsync();
        body.Should().Be("""[{"subdir":"a/"},{"name":"b","hash":"etag-b","bytes":1,"content_type":"text/plain","last_modified":"1970-01-01T00:00:02.000000"},{"subdir":"c/"}]""");

        (await Names("?format=json&delimiter=/&prefix=a/")).Should().Equal("a/1", "a/2", "a/b/");
        (await Names("?format=json&delimiter=/&reverse=true")).Should().Equal("c/", "b", "a/");
        (await Names("?format=json&delimiter=/&marker=a/")).Should().Equal("b", "c/");
    }

    [Test]
    public async Task A_delimiter_of_several_characters_and_a_path_list_as_swift_does()
    {
        await Fill("a/1", "a/2", "a/b/3", "b-x-1", "b-x-2", "c");

        (await Names("?format=json&delimiter=-x-")).Should().Equal("a/1", "a/2", "a/b/3", "b-x-", "c");
        (await Names("?format=json&delimiter=-x-&reverse=on")).Should().Equal("c", "b-x-", "a/b/3", "a/2", "a/1");
        // path=: only the names directly under it, never a subdir; path= alone: the names without a slash.
        (await Names("?format=json&path=a")).Should().Equal("a/1", "a/2");
        (await Names("?format=json&path=")).Should().Equal("b-x-1", "b-x-2", "c");
    }

    [TestCase("limit=-1", 6)]
    [TestCase("limit=5000.0", 6)]
    [TestCase("limit=%2B3", 6)]
    [TestCase("limit=ten", 6)]
    [TestCase("limit=2", 2)]
    [TestCase("limit=0", 0)]
    [TestCase("marker=%00", 6)]
    [TestCase("marker=%00&reverse=on", 0)]
    [TestCase("prefix=%00", 0)]
    public async Task Odd_listing_parameters_are_read_as_swift_reads_them(string query, int count)
    {
        await Fill("a/1", "a/2", "a/b/3", "b-x-1", "b-x-2", "c");

        (await Names("?format=json&" + query)).Should().HaveCount(count);
    }

    [Test]
    public async Task A_container_keeps_the_storage_policy_it_was_made_in()
    {
        (await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "1"), ("X-Backend-Storage-Policy-Index", "1"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await Send(HttpMethod.Put, "/sda1/0/a/d", ("X-Timestamp", "1"), ("X-Backend-Storage-Policy-Default", "2"))).StatusCode.Should().Be(HttpStatusCode.Created);

        Header(await Send(HttpMethod.Head, "/sda1/0/a/c"), "X-Backend-Storage-Policy-Index").Should().Be("1");
        Header(await Send(HttpMethod.Head, "/sda1/0/a/d"), "X-Backend-Storage-Policy-Index").Should().Be("2");
        // Another policy for an existing container is a conflict; naming none (or the same) is a plain re-PUT.
        (await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "2"), ("X-Backend-Storage-Policy-Index", "0"))).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "3"), ("X-Backend-Storage-Policy-Default", "0"))).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "4"), ("X-Backend-Storage-Policy-Index", "x"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        Header(await Send(HttpMethod.Head, "/sda1/0/a/c"), "X-Backend-Storage-Policy-Index").Should().Be("1");
        (await Send(HttpMethod.Head, "/sda1/0/a/c")).Content.Headers.LastModified.Should().Be(DateTimeOffset.FromUnixTimeSeconds(3), "the last PUT's time, rounded up");
    }

    [Test]
    public async Task Paging_on_the_marker_ends_with_an_empty_page()
    {
        await Fill("a/1", "a/2", "b", "c", "d");
        var seen = new List<string>();
        var marker = "";
        for (var page = 0; page < 10; page++)
        {
            var names = await Names($"?format=json&delimiter=/&limit=2&marker={Uri.EscapeDataString(marker)}");
            if (names.Count == 0)
            {
                break;
            }
            seen.AddRange(names);
            marker = names[^1];
        }

        seen.Should().Equal("a/", "b", "c", "d");
    }

    [Test]
    public async Task Plain_and_xml_listings_and_empty_listings_have_their_own_shapes()
    {
        await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "1"));
        (await Send(HttpMethod.Get, "/sda1/0/a/c")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var emptyJson = await Send(HttpMethod.Get, "/sda1/0/a/c?format=json");
        emptyJson.StatusCode.Should().Be(HttpStatusCode.OK);
        (await emptyJson.Content.ReadAsStringAsync()).Should().Be("[]");

        await PutRow("x&y", 3, "1795917876");
        await PutRow("z", 4, "1795917876");

        (await (await Send(HttpMethod.Get, "/sda1/0/a/c")).Content.ReadAsStringAsync()).Should().Be("x&y\nz\n");
        var xml = await (await Send(HttpMethod.Get, "/sda1/0/a/c?format=xml")).Content.ReadAsStringAsync();
        xml.Should().StartWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<container name=\"c\"><object><name>x&amp;y</name><hash>etag-x&amp;y</hash><bytes>3</bytes>");
        xml.Should().Contain("<last_modified>2026-11-29T02:04:36.000000</last_modified></object>").And.EndWith("</container>");
        var accepted = new HttpRequestMessage(HttpMethod.Get, "/sda1/0/a/c");
        accepted.Headers.Accept.ParseAdd("application/json");
        (await (await _server.Client.SendAsync(accepted)).Content.ReadAsStringAsync()).Should().StartWith("[{\"name\":\"x&y\"");
    }

    [Test]
    public async Task Object_names_keep_slashes_and_escaped_characters()
    {
        await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "1"));
        await PutRow("dir/sub%2Fname with space", 1, "2");

        (await Names("?format=json")).Should().Equal("dir/sub/name with space");
    }

    [TestCase("/sda1/0/a/c?limit=10001", HttpStatusCode.PreconditionFailed)]
    [TestCase("/sda1/0/a", HttpStatusCode.BadRequest)]
    [TestCase("/sda1/zero/a/c", HttpStatusCode.BadRequest)]
    [TestCase("/sda1//a/c", HttpStatusCode.BadRequest)]
    [TestCase("/sdz9/0/a/c", HttpStatusCode.InsufficientStorage)]
    [TestCase("/sda1/0/a/missing", HttpStatusCode.NotFound)]
    public async Task Client_mistakes_get_a_text_answer_not_a_500(string path, HttpStatusCode expected)
    {
        await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "1"));

        var response = await Send(HttpMethod.Get, path);

        response.StatusCode.Should().Be(expected);
        response.Content.Headers.ContentType!.MediaType.Should().BeOneOf("text/html", "text/plain"); // swob's error page, or a listing error's text
        (await response.Content.ReadAsStringAsync()).Should().NotBeEmpty();
    }

    [Test]
    public async Task Writes_without_a_timestamp_or_size_are_refused()
    {
        (await Send(HttpMethod.Put, "/sda1/0/a/c")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "yesterday"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "1"));
        (await Send(HttpMethod.Put, "/sda1/0/a/c/o", ("X-Timestamp", "2"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Send(HttpMethod.Put, "/sda1/0/a/other/o", ("X-Timestamp", "2"), ("X-Size", "1"))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Concurrent_object_rows_all_land()
    {
        await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "1"));

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => PutRow($"o{i:D2}", 2, "2")));

        var head = await Send(HttpMethod.Head, "/sda1/0/a/c");
        Header(head, "X-Container-Object-Count").Should().Be("50");
        Header(head, "X-Container-Bytes-Used").Should().Be("100");
    }

    [Test]
    public async Task Concurrent_rows_for_one_name_keep_the_newest_whatever_batch_they_land_in()
    {
        await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "1"));

        await Task.WhenAll(Enumerable.Range(10, 30).Select(i => PutRow("same", i, $"{i}.00000")));

        var get = await Send(HttpMethod.Get, "/sda1/0/a/c?format=json");
        using var json = JsonDocument.Parse(await get.Content.ReadAsStringAsync());
        json.RootElement.GetArrayLength().Should().Be(1);
        json.RootElement[0].GetProperty("bytes").GetInt64().Should().Be(39);
    }

    [Test]
    public async Task Concurrent_rows_for_a_deleted_container_are_each_refused()
    {
        await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "1"));
        await Send(HttpMethod.Delete, "/sda1/0/a/c", ("X-Timestamp", "2"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Send(HttpMethod.Put, $"/sda1/0/a/c/o{i}", ("X-Timestamp", "3"), ("X-Size", "1"), ("X-Content-Type", "text/plain"), ("X-Etag", "e"))));

        answers.Select(a => a.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.NotFound, "an object server queues each refused row as an async pending");
    }

    [Test]
    public async Task Rows_after_the_database_was_removed_go_to_no_file_and_then_to_the_new_one()
    {
        await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "1"));
        await PutRow("kept-open", 1, "2");
        var file = Directory.EnumerateFiles(_server.DevicesPath, "*.db", SearchOption.AllDirectories).Single();

        // As the replicator removes a synced handoff copy (the row committer still holds the database open).
        (await DatabaseReplica.DeleteIfUnchangedAsync(file, DatabaseKind.Container,
            (await DatabaseReplica.LoadHeadAsync(file, DatabaseKind.Container))!.Digest)).Should().BeTrue();

        (await Send(HttpMethod.Put, "/sda1/0/a/c/lost", ("X-Timestamp", "3"), ("X-Size", "1"))).StatusCode
            .Should().Be(HttpStatusCode.NotFound, "the sender keeps the row as an async pending");
        await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "4"));
        await PutRow("new", 1, "5");

        (await Names("?format=json")).Should().Equal("new");
    }

    [Test]
    public async Task An_update_from_this_process_merges_as_one_over_http_does_and_a_refused_one_is_false()
    {
        await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "1"));
        var update = new ContainerUpdate("PUT", "a", "c", "dir/o%2F", new Dictionary<string, string>
        {
            ["X-Timestamp"] = "2", ["X-Size"] = "7", ["X-Content-Type"] = "text/plain", ["X-Etag"] = "e",
        });

        (await _container.MergeAsync("sda1", 0, update)).Should().BeTrue();
        (await Names("?format=json")).Should().Equal("dir/o%2F");
        (await _container.MergeAsync("sda1", 0, update with { Container = "missing" })).Should().BeFalse("no such container: a 404 over HTTP");
        (await _container.MergeAsync("absent", 0, update)).Should().BeFalse("no such device: a 507 over HTTP");
        (await _container.MergeAsync("sda1", 0, update with { Headers = new Dictionary<string, string> { ["X-Timestamp"] = "3" } })).Should().BeFalse("no X-Size: a 400");
        (await _container.MergeAsync("sda1", 0, update with { Op = "DELETE", Headers = new Dictionary<string, string> { ["X-Timestamp"] = "4" } })).Should().BeTrue();
        (await Names("?format=json")).Should().BeEmpty();
    }

    [Test]
    public async Task A_device_that_is_not_a_mount_point_is_refused_when_mount_check_is_on()
    {
        var flags = new SwiftStorageFlags { SwiftDevices = _server.DevicesPath, SwiftMountCheck = true };
        var container = new ContainerServer(flags, _hash, TimeProvider.System, NullLogger<ContainerServer>.Instance);
        var port = FreePort.Next();
        var server = new HttpServer(container.HttpOptions("swift-storage") with { Listen = "127.0.0.1", Port = port }, NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            using var request = new HttpRequestMessage(HttpMethod.Put, "/sda1/0/a/c");
            request.Headers.Add("X-Timestamp", "1");

            (await http.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.InsufficientStorage);
        }
        finally
        {
            await server.StopAsync(CancellationToken.None);
        }
    }

    [Test]
    public async Task Delimited_xml_listings_show_subdirs()
    {
        await Fill("d/1", "e");

        var xml = await (await Send(HttpMethod.Get, "/sda1/0/a/c?format=xml&delimiter=/")).Content.ReadAsStringAsync();

        xml.Should().Contain("<subdir name=\"d/\"><name>d/</name></subdir><object><name>e</name>");
    }

    [Test]
    public async Task Ten_thousand_rows_page_quickly_by_a_thousand()
    {
        await Send(HttpMethod.Put, "/sda1/0/a/big", ("X-Timestamp", "1"));
        var hex = _hash.Hex("a", "big");
        using (var db = new SqliteConnection($"Data Source={Path.Combine(_server.DevicesPath, "sda1", "containers", "0", hex[^3..], hex, hex + ".db")}"))
        {
            db.Open();
            using var tx = db.BeginTransaction();
            var rows = Enumerable.Range(0, 10_000).Select(i => new
            {
                Name = $"obj-{i:D5}", CreatedAt = "1795917876.00000", Size = 1L, ContentType = "text/plain", Etag = "e", Deleted = 0,
            });
            db.Execute(ContainerQueries.MergeObject, rows, tx);
            tx.Commit();
        }
        var marker = "";
        var total = 0;
        var clock = Stopwatch.StartNew();
        for (var page = 0; page < 20; page++)
        {
            clock.Restart();
            var names = await Names($"?format=json&limit=1000&marker={marker}", "big");
            TestContext.Out.WriteLine($"page {page}: {names.Count} names in {clock.Elapsed.TotalMilliseconds:F1} ms");
            if (names.Count == 0)
            {
                break;
            }
            total += names.Count;
            marker = names[^1];
        }

        total.Should().Be(10_000);
    }

    private async Task<(string Objects, string Bytes)> Totals()
    {
        var head = await Send(HttpMethod.Head, "/sda1/0/a/c");
        return (Header(head, "X-Container-Object-Count"), Header(head, "X-Container-Bytes-Used"));
    }

    private async Task Fill(params string[] names)
    {
        await Send(HttpMethod.Put, "/sda1/0/a/c", ("X-Timestamp", "1"));
        foreach (var name in names)
        {
            await PutRow(name, 1, "2");
        }
    }

    private async Task PutRow(string name, long size, string timestamp) =>
        (await Send(HttpMethod.Put, $"/sda1/0/a/c/{name}", ("X-Timestamp", timestamp), ("X-Size", size.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("X-Content-Type", "text/plain"), ("X-Etag", $"etag-{Uri.UnescapeDataString(name)}"))).StatusCode.Should().Be(HttpStatusCode.Created);

    private async Task<List<string>> Names(string query, string container = "c")
    {
        var response = await Send(HttpMethod.Get, $"/sda1/0/a/{container}{query}");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.EnumerateArray()
            .Select(e => e.TryGetProperty("subdir", out var subdir) ? subdir.GetString()! : e.GetProperty("name").GetString()!)
            .ToList();
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, params (string Name, string Value)[] headers) =>
        _server.SendAsync(method, path, headers);

    private static string Header(HttpResponseMessage response, string name) => DatabaseServerHarness.Header(response, name);
}
