using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The image API v2 over raw HTTP on a cloudd process (<c>--roles=api,glance</c>): discovery, isolation between
/// projects, members, protection, ranges, broken uploads and bad input. alice (project other) and bob (project
/// third) are plain members; berendt is an admin.
/// </summary>
[NonParallelizable]
[Category("Integration")]
public sealed class GlanceApiTests : GlanceUsersFixture
{
    private Task<string> AliceImageAsync(object? body = null) =>
        Glance.CreateAsync(Alice, body ?? new { name = $"img-{Guid.NewGuid():N}", disk_format = "raw", container_format = "bare" });

    private async Task<string> ListNamesAsync(string token, string query = "")
    {
        using var response = await Glance.SendAsync(token, HttpMethod.Get, $"/v2/images{query}");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return string.Join(",", (await GlanceHttp.BodyAsync(response)).GetProperty("images").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
    }

    [Test]
    public async Task Discovery_answers_without_a_token_and_everything_else_needs_one()
    {
        using var root = await Glance.SendAsync(null, HttpMethod.Get, "/");
        using var versions = await Glance.SendAsync(null, HttpMethod.Get, "/versions");
        using var schema = await Glance.SendAsync(Alice, HttpMethod.Get, "/v2/schemas/image");

        root.StatusCode.Should().Be(HttpStatusCode.MultipleChoices);
        versions.StatusCode.Should().Be(HttpStatusCode.OK);
        (await versions.Content.ReadAsStringAsync()).Should().Contain("\"v2.0\"").And.Contain($"{Cloud.GlanceUrl}/v2/");
        (await GlanceHttp.BodyAsync(schema)).GetProperty("properties").GetProperty("disk_format").GetProperty("enum").GetArrayLength().Should().Be(12);
        (await Glance.StatusAsync(null!, HttpMethod.Get, "/v2/images")).Should().Be(HttpStatusCode.Unauthorized);
        (await Glance.StatusAsync("not-a-token", HttpMethod.Get, "/v2/images")).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Another_project_sees_a_shared_image_only_as_a_member_and_in_its_list_once_accepted()
    {
        var id = await AliceImageAsync();
        (await Glance.StatusAsync(Bob, HttpMethod.Get, $"/v2/images/{id}")).Should().Be(HttpStatusCode.NotFound);
        (await Glance.StatusAsync(Bob, HttpMethod.Patch, $"/v2/images/{id}", GlanceHttp.Patch("""[{"op": "replace", "path": "/name", "value": "x"}]"""))).Should().Be(HttpStatusCode.NotFound);
        (await Glance.StatusAsync(Bob, HttpMethod.Delete, $"/v2/images/{id}")).Should().Be(HttpStatusCode.NotFound);
        (await ListNamesAsync(Bob)).Should().NotContain(id);

        (await Glance.StatusAsync(Alice, HttpMethod.Post, $"/v2/images/{id}/members", GlanceHttp.Json(new { member = BobProject }))).Should().Be(HttpStatusCode.OK);
        (await Glance.StatusAsync(Bob, HttpMethod.Get, $"/v2/images/{id}")).Should().Be(HttpStatusCode.OK, "a pending member may see the image by id");
        (await ListNamesAsync(Bob)).Should().NotContain(id);
        (await ListNamesAsync(Bob, "?member_status=pending")).Should().Contain(id);
        (await Glance.StatusAsync(Alice, HttpMethod.Put, $"/v2/images/{id}/members/{BobProject}", GlanceHttp.Json(new { status = "accepted" }))).Should().Be(HttpStatusCode.Forbidden, "only the member answers");

        (await Glance.StatusAsync(Bob, HttpMethod.Put, $"/v2/images/{id}/members/{BobProject}", GlanceHttp.Json(new { status = "accepted" }))).Should().Be(HttpStatusCode.OK);

        (await ListNamesAsync(Bob)).Should().Contain(id);
        (await Glance.StatusAsync(Bob, HttpMethod.Patch, $"/v2/images/{id}", GlanceHttp.Patch("""[{"op": "replace", "path": "/name", "value": "x"}]"""))).Should().Be(HttpStatusCode.Forbidden);
        (await Glance.StatusAsync(Bob, HttpMethod.Delete, $"/v2/images/{id}")).Should().Be(HttpStatusCode.Forbidden);
        (await Glance.StatusAsync(Alice, HttpMethod.Delete, $"/v2/images/{id}/members/{BobProject}")).Should().Be(HttpStatusCode.NoContent);
        (await Glance.StatusAsync(Bob, HttpMethod.Get, $"/v2/images/{id}")).Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_private_image_stays_with_its_owner_and_public_ones_are_for_everyone_but_published_by_admins()
    {
        var hidden = await AliceImageAsync(new { name = "private-one", visibility = "private" });
        (await Glance.StatusAsync(Alice, HttpMethod.Post, "/v2/images", GlanceHttp.Json(new { name = "p", visibility = "public" }))).Should().Be(HttpStatusCode.Forbidden);
        var published = await Glance.CreateAsync(Admin, new { name = "public-one", visibility = "public" });

        (await Glance.StatusAsync(Bob, HttpMethod.Get, $"/v2/images/{hidden}")).Should().Be(HttpStatusCode.NotFound);
        (await Glance.StatusAsync(Alice, HttpMethod.Post, $"/v2/images/{hidden}/members", GlanceHttp.Json(new { member = BobProject }))).Should().Be(HttpStatusCode.Forbidden);
        (await ListNamesAsync(Bob)).Should().Contain(published).And.NotContain(hidden);
        (await ListNamesAsync(Admin)).Should().Contain(published).And.Contain(hidden);
        (await Glance.StatusAsync(Bob, HttpMethod.Delete, $"/v2/images/{published}")).Should().Be(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_protected_image_cannot_be_deleted_until_unprotected()
    {
        var id = await AliceImageAsync(new { name = "keep", @protected = true });

        (await Glance.StatusAsync(Alice, HttpMethod.Delete, $"/v2/images/{id}")).Should().Be(HttpStatusCode.Forbidden);
        (await Glance.StatusAsync(Admin, HttpMethod.Delete, $"/v2/images/{id}")).Should().Be(HttpStatusCode.Forbidden);
        (await Glance.StatusAsync(Alice, HttpMethod.Patch, $"/v2/images/{id}", GlanceHttp.Patch("""[{"op": "replace", "path": "/protected", "value": false}]"""))).Should().Be(HttpStatusCode.OK);
        (await Glance.StatusAsync(Alice, HttpMethod.Delete, $"/v2/images/{id}")).Should().Be(HttpStatusCode.NoContent);
        (await Glance.StatusAsync(Alice, HttpMethod.Get, $"/v2/images/{id}")).Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Downloads_serve_ranges_the_md5_and_204_before_any_upload()
    {
        var id = await AliceImageAsync();
        (await Glance.StatusAsync(Alice, HttpMethod.Get, $"/v2/images/{id}/file")).Should().Be(HttpStatusCode.NoContent);
        var data = Enumerable.Range(0, 100_000).Select(i => (byte)(i % 251)).ToArray();
        await Glance.UploadAsync(Alice, id, data);

        using var whole = await Glance.SendAsync(Alice, HttpMethod.Get, $"/v2/images/{id}/file");
        using var part = await Glance.SendAsync(Alice, HttpMethod.Get, $"/v2/images/{id}/file", range: "bytes=1000-1999");
        using var beyond = await Glance.SendAsync(Alice, HttpMethod.Get, $"/v2/images/{id}/file", range: "bytes=200000-");

        (await whole.Content.ReadAsByteArrayAsync()).Should().Equal(data);
        whole.Content.Headers.NonValidated["Content-MD5"].ToString().Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(data)));
        part.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        part.Content.Headers.ContentRange!.ToString().Should().Be("bytes 1000-1999/100000");
        (await part.Content.ReadAsByteArrayAsync()).Should().Equal(data[1000..2000]);
        beyond.StatusCode.Should().Be(HttpStatusCode.RequestedRangeNotSatisfiable);
        (await Glance.StatusAsync(Alice, HttpMethod.Put, $"/v2/images/{id}/file", new ByteArrayContent(data) { Headers = { ContentType = new("application/octet-stream") } }))
            .Should().Be(HttpStatusCode.Conflict, "an active image takes no new data");
    }

    [Test]
    public async Task A_deactivated_image_cannot_be_downloaded_until_reactivated()
    {
        var id = await AliceImageAsync();
        await Glance.UploadAsync(Alice, id, [1, 2, 3]);

        (await Glance.StatusAsync(Alice, HttpMethod.Post, $"/v2/images/{id}/actions/deactivate")).Should().Be(HttpStatusCode.NoContent);
        (await Glance.StatusAsync(Alice, HttpMethod.Get, $"/v2/images/{id}/file")).Should().Be(HttpStatusCode.Forbidden);
        (await Glance.StatusAsync(Alice, HttpMethod.Post, $"/v2/images/{id}/actions/reactivate")).Should().Be(HttpStatusCode.NoContent);
        (await Glance.StatusAsync(Alice, HttpMethod.Get, $"/v2/images/{id}/file")).Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task An_upload_broken_half_way_leaves_the_image_killed_and_nothing_in_the_store()
    {
        var id = await AliceImageAsync();
        var port = new Uri(Cloud.GlanceUrl).Port;

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            var stream = client.GetStream();
            var head = $"PUT /v2/images/{id}/file HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Auth-Token: {Alice}\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: 10000000\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(new byte[3_000_000]);
            await stream.FlushAsync();
            // Cut only once the server is reading the body: a reset that beats the request would discard it unread.
            await Poller.UntilAsync(async () => await StatusAsync(id) == "saving", TimeSpan.FromSeconds(60), "the upload to start");
            client.Client.LingerState = new LingerOption(true, 0);
        }

        await Poller.UntilAsync(async () => await StatusAsync(id) == "killed", TimeSpan.FromSeconds(60), "the image to be killed");
        var store = Path.Combine(Cloud.StatePath, "images");
        (Directory.Exists(store) ? Directory.GetFiles(store) : []).Should().NotContain(f => f.Contains(id, StringComparison.Ordinal));
    }

    private async Task<string?> StatusAsync(string id)
    {
        using var response = await Glance.SendAsync(Alice, HttpMethod.Get, $"/v2/images/{id}");
        return (await GlanceHttp.BodyAsync(response)).GetProperty("status").GetString();
    }

    [Test]
    public async Task The_list_pages_with_next_links_in_the_asked_order()
    {
        var prefix = $"page-{Guid.NewGuid():N}";
        foreach (var n in new[] { 3, 1, 4, 5, 2 })
        {
            await AliceImageAsync(new { name = $"{prefix}-{n}", tags = new[] { prefix } });
        }
        var names = new List<string>();
        var next = $"/v2/images?tag={prefix}&limit=2&sort_key=name&sort_dir=asc";
        while (next is not null)
        {
            using var response = await Glance.SendAsync(Alice, HttpMethod.Get, next);
            var body = await GlanceHttp.BodyAsync(response);
            names.AddRange(body.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("name").GetString()!));
            next = body.TryGetProperty("next", out var link) ? link.GetString() : null;
        }

        names.Should().Equal(Enumerable.Range(1, 5).Select(n => $"{prefix}-{n}"));
    }

    [Test]
    public async Task Tags_are_added_filtered_on_and_removed()
    {
        var id = await AliceImageAsync();

        (await Glance.StatusAsync(Alice, HttpMethod.Put, $"/v2/images/{id}/tags/golden")).Should().Be(HttpStatusCode.NoContent);
        (await ListNamesAsync(Alice, "?tag=golden")).Should().Be(id);
        (await Glance.StatusAsync(Alice, HttpMethod.Delete, $"/v2/images/{id}/tags/golden")).Should().Be(HttpStatusCode.NoContent);
        (await Glance.StatusAsync(Alice, HttpMethod.Delete, $"/v2/images/{id}/tags/golden")).Should().Be(HttpStatusCode.NotFound);
    }

    [TestCase("{\"name\": \"x\", \"disk_format\": \"floppy\"}", HttpStatusCode.BadRequest, "disk_format")]
    [TestCase("{\"name\": \"x\", \"container_format\": \"zip\"}", HttpStatusCode.BadRequest, "container_format")]
    [TestCase("{\"name\": \"x\", \"visibility\": \"everyone\"}", HttpStatusCode.BadRequest, "visibility")]
    [TestCase("{\"name\": \"x\", \"min_ram\": -1}", HttpStatusCode.BadRequest, "min_ram")]
    [TestCase("{\"name\": \"x\", \"status\": \"active\"}", HttpStatusCode.Forbidden, "read-only")]
    [TestCase("{\"name\": \"x\", \"id\": \"not-a-uuid\"}", HttpStatusCode.BadRequest, "UUID")]
    [TestCase("{\"name\": \"x\", \"kernel_id\": 7}", HttpStatusCode.BadRequest, "not of type 'string'")]
    [TestCase("{\"name\": ", HttpStatusCode.BadRequest, "Malformed JSON")]
    [TestCase("[]", HttpStatusCode.BadRequest, "JSON object")]
    public async Task Bad_creates_get_a_4xx_with_a_message(string body, HttpStatusCode status, string message)
    {
        using var response = await Glance.SendAsync(Alice, HttpMethod.Post, "/v2/images", GlanceHttp.Json(body));

        response.StatusCode.Should().Be(status);
        (await GlanceHttp.BodyAsync(response)).GetProperty("error").GetProperty("message").GetString().Should().Contain(message);
    }

    [Test]
    public async Task Oversized_names_properties_and_too_many_properties_are_refused()
    {
        var longText = new string('a', 256);
        var many = Enumerable.Range(0, 129).ToDictionary(n => $"p{n}", n => "v");

        (await Glance.StatusAsync(Alice, HttpMethod.Post, "/v2/images", GlanceHttp.Json(new { name = longText }))).Should().Be(HttpStatusCode.BadRequest);
        (await Glance.StatusAsync(Alice, HttpMethod.Post, "/v2/images", GlanceHttp.Json(new Dictionary<string, string> { ["note"] = longText }))).Should().Be(HttpStatusCode.BadRequest);
        (await Glance.StatusAsync(Alice, HttpMethod.Post, "/v2/images", GlanceHttp.Json(new Dictionary<string, string> { [longText] = "v" }))).Should().Be(HttpStatusCode.BadRequest);
        (await Glance.StatusAsync(Alice, HttpMethod.Post, "/v2/images", GlanceHttp.Json(many))).Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [TestCase("""{"op": "replace", "path": "/name", "value": "x"}""", HttpStatusCode.BadRequest, "JSON array")]
    [TestCase("""[{"op": "move", "path": "/name", "value": "x"}]""", HttpStatusCode.BadRequest, "Invalid operation")]
    [TestCase("""[{"op": "replace", "path": "name", "value": "x"}]""", HttpStatusCode.BadRequest, "JSON pointer")]
    [TestCase("""[{"op": "replace", "path": "/name"}]""", HttpStatusCode.BadRequest, "requires a member named")]
    [TestCase("""[{"op": "replace", "path": "/status", "value": "active"}]""", HttpStatusCode.Forbidden, "read-only")]
    [TestCase("""[{"op": "remove", "path": "/name"}]""", HttpStatusCode.Forbidden, "cannot be removed")]
    [TestCase("""[{"op": "remove", "path": "/no_such_property"}]""", HttpStatusCode.Conflict, "does not exist")]
    [TestCase("""[{"op": "replace", "path": "/min_disk", "value": "big"}]""", HttpStatusCode.BadRequest, "integer")]
    [TestCase("""[{"op": "add", "path": "/disk_format", "value": "floppy"}]""", HttpStatusCode.BadRequest, "disk_format")]
    public async Task Bad_patches_get_a_4xx_with_a_message(string patch, HttpStatusCode status, string message)
    {
        var id = await AliceImageAsync();

        using var response = await Glance.SendAsync(Alice, HttpMethod.Patch, $"/v2/images/{id}", GlanceHttp.Patch(patch));

        response.StatusCode.Should().Be(status);
        (await GlanceHttp.BodyAsync(response)).GetProperty("error").GetProperty("message").GetString().Should().Contain(message);
    }

    [TestCase("GET", "/v2/images/00000000-0000-0000-0000-000000000000", HttpStatusCode.NotFound)]
    [TestCase("GET", "/v2/images/ubuntu-by-name", HttpStatusCode.NotFound)]
    [TestCase("DELETE", "/v2/images/00000000-0000-0000-0000-000000000000", HttpStatusCode.NotFound)]
    [TestCase("GET", "/v2/images/00000000-0000-0000-0000-000000000000/file", HttpStatusCode.NotFound)]
    [TestCase("GET", "/v2/images/00000000-0000-0000-0000-000000000000/members", HttpStatusCode.NotFound)]
    [TestCase("GET", "/v2/images?sort_key=colour", HttpStatusCode.BadRequest)]
    [TestCase("GET", "/v2/images?limit=lots", HttpStatusCode.BadRequest)]
    [TestCase("GET", "/v2/images?marker=00000000-0000-0000-0000-000000000000", HttpStatusCode.BadRequest)]
    [TestCase("GET", "/v2/images?member_status=maybe", HttpStatusCode.BadRequest)]
    public async Task Unknown_images_and_bad_queries_get_a_4xx(string method, string path, HttpStatusCode status)
    {
        (await Glance.StatusAsync(Alice, new HttpMethod(method), path)).Should().Be(status);
    }

    [Test]
    public async Task Uploads_need_octet_stream_and_patches_their_media_type()
    {
        var id = await AliceImageAsync();

        (await Glance.StatusAsync(Alice, HttpMethod.Put, $"/v2/images/{id}/file", GlanceHttp.Json("{}"))).Should().Be(HttpStatusCode.UnsupportedMediaType);
        (await Glance.StatusAsync(Alice, HttpMethod.Patch, $"/v2/images/{id}", GlanceHttp.Json("[]"))).Should().Be(HttpStatusCode.UnsupportedMediaType);
        var noFormats = await AliceImageAsync(new { name = "bare" });
        (await Glance.StatusAsync(Alice, HttpMethod.Put, $"/v2/images/{noFormats}/file", new ByteArrayContent([1]) { Headers = { ContentType = new("application/octet-stream") } }))
            .Should().Be(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task The_catalog_names_the_image_endpoint()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Cloud.KeystoneUrl}/v3/auth/catalog");
        request.Headers.Add("X-Auth-Token", Alice);
        var catalog = JsonDocument.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync()).RootElement;

        catalog.GetProperty("catalog").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "image")
            .GetProperty("endpoints")[0].GetProperty("url").GetString().Should().Be(Cloud.GlanceUrl);
    }
}
