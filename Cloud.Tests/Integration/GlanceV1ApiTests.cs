using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The image API v1 over raw HTTP on a cloudd process (<c>--roles=api,glance</c>): metadata headers, chunked uploads,
/// isolation between projects, members and bad input. alice (project other) and bob (project third) are plain
/// members; berendt is an admin.
/// </summary>
[NonParallelizable]
[Category("Integration")]
public sealed class GlanceV1ApiTests : GlanceUsersFixture
{
    private static Dictionary<string, string> Meta(params (string Key, string Value)[] meta) =>
        meta.ToDictionary(m => m.Key.StartsWith("x-", StringComparison.Ordinal) ? m.Key : "x-image-meta-" + m.Key, m => m.Value);

    private static ByteArrayContent Data(byte[] bytes, bool chunked = false)
    {
        var content = chunked ? (ByteArrayContent)new ChunkedContent(bytes) : new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    /// <summary>Creates an image with v1 (201 expected) and returns its JSON.</summary>
    private async Task<JsonElement> CreateAsync(string token, Dictionary<string, string> meta, HttpContent? data = null)
    {
        using var response = await Glance.SendAsync(token, HttpMethod.Post, "/v1/images", data, headers: meta);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await GlanceHttp.BodyAsync(response)).GetProperty("image");
    }

    private async Task<string> AliceImageAsync(string name) =>
        (await CreateAsync(Alice, Meta(("name", name), ("disk_format", "raw"), ("container_format", "bare")))).GetProperty("id").GetString()!;

    private async Task<string> DetailIdsAsync(string token, string query = "")
    {
        using var response = await Glance.SendAsync(token, HttpMethod.Get, $"/v1/images/detail{query}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return string.Join(",", (await GlanceHttp.BodyAsync(response)).GetProperty("images").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : throw new AssertionException($"no header {name}");

    [Test]
    public async Task A_chunked_post_with_metadata_headers_stores_the_data_and_head_and_get_answer_them_as_headers()
    {
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(300_000);
        var md5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(bytes));

        var image = await CreateAsync(Alice, Meta(("name", "ttylinux"), ("disk_format", "ami"), ("container_format", "ami"), ("size", "300000"),
            ("is_public", "None"), ("property-kernel_id", "aki-1234"), ("property-Architecture", "x86_64")), Data(bytes, chunked: true));
        var id = image.GetProperty("id").GetString()!;
        using var head = await Glance.SendAsync(Alice, HttpMethod.Head, $"/v1/images/{id}");
        using var get = await Glance.SendAsync(Alice, HttpMethod.Get, $"/v1/images/{id}");

        image.GetProperty("status").GetString().Should().Be("active");
        image.GetProperty("checksum").GetString().Should().Be(md5);
        image.GetProperty("is_public").GetBoolean().Should().BeFalse();
        image.GetProperty("properties").GetProperty("kernel_id").GetString().Should().Be("aki-1234");
        head.StatusCode.Should().Be(HttpStatusCode.OK);
        Header(head, "x-image-meta-name").Should().Be("ttylinux");
        Header(head, "x-image-meta-size").Should().Be("300000");
        Header(head, "x-image-meta-is_public").Should().Be("False");
        Header(head, "x-image-meta-checksum").Should().Be(md5);
        Header(head, "x-image-meta-property-kernel_id").Should().Be("aki-1234");
        Header(head, "x-image-meta-property-architecture").Should().Be("x86_64", "glance v1 lower-cases property names");
        head.Content.Headers.ContentLength.Should().Be(300_000, "HEAD announces what GET would send");
        get.StatusCode.Should().Be(HttpStatusCode.OK);
        Header(get, "x-image-meta-status").Should().Be("active");
        (await get.Content.ReadAsByteArrayAsync()).Should().Equal(bytes);
    }

    [Test]
    public async Task Put_updates_headers_merges_properties_and_uploads_to_a_queued_image_once()
    {
        var id = (await CreateAsync(Alice, Meta(("name", "later"), ("property-a", "1"), ("property-b", "2")))).GetProperty("id").GetString()!;

        using var update = await Glance.SendAsync(Alice, HttpMethod.Put, $"/v1/images/{id}", Data([1, 2, 3]),
            headers: Meta(("name", "now"), ("disk_format", "raw"), ("container_format", "bare"), ("property-b", "3")));
        using var purge = await Glance.SendAsync(Alice, HttpMethod.Put, $"/v1/images/{id}", null,
            headers: Meta(("property-c", "4"), ("x-glance-registry-purge-props", "true")));
        using var again = await Glance.SendAsync(Alice, HttpMethod.Put, $"/v1/images/{id}", Data([4]));

        update.StatusCode.Should().Be(HttpStatusCode.OK, await update.Content.ReadAsStringAsync());
        var updated = (await GlanceHttp.BodyAsync(update)).GetProperty("image");
        updated.GetProperty("name").GetString().Should().Be("now");
        updated.GetProperty("status").GetString().Should().Be("active");
        updated.GetProperty("size").GetInt64().Should().Be(3);
        updated.GetProperty("properties").GetRawText().Should().Be("""{"a":"1","b":"3"}""");
        (await GlanceHttp.BodyAsync(purge)).GetProperty("image").GetProperty("properties").GetRawText().Should().Be("""{"c":"4"}""");
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Private_images_are_invisible_to_other_projects_and_only_admins_publish()
    {
        var id = await AliceImageAsync("alice-only");

        (await Glance.StatusAsync(Bob, HttpMethod.Head, $"/v1/images/{id}")).Should().Be(HttpStatusCode.NotFound);
        (await Glance.StatusAsync(Bob, HttpMethod.Get, $"/v1/images/{id}")).Should().Be(HttpStatusCode.NotFound);
        (await Glance.StatusAsync(Bob, HttpMethod.Delete, $"/v1/images/{id}")).Should().Be(HttpStatusCode.NotFound);
        (await DetailIdsAsync(Bob)).Should().NotContain(id);
        (await DetailIdsAsync(Alice)).Should().Contain(id);
        using (var publish = await Glance.SendAsync(Alice, HttpMethod.Post, "/v1/images", null, headers: Meta(("name", "pub"), ("is_public", "true"))))
        {
            publish.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }
        var isPublic = (await CreateAsync(Admin, Meta(("name", "everyone"), ("is_public", "True")))).GetProperty("id").GetString()!;
        (await DetailIdsAsync(Bob, "?is_public=true")).Should().Contain(isPublic).And.NotContain(id);
        (await Glance.StatusAsync(Bob, HttpMethod.Delete, $"/v1/images/{isPublic}")).Should().Be(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task The_list_shows_active_summaries_and_the_detail_filters_sorts_and_pages()
    {
        var prefix = Guid.NewGuid().ToString("N")[..8];
        var queued = await AliceImageAsync($"{prefix}-b");
        var active = (await CreateAsync(Alice, Meta(("name", $"{prefix}-a"), ("disk_format", "qcow2"), ("container_format", "bare")), Data([9, 9]))).GetProperty("id").GetString()!;

        using var list = await Glance.SendAsync(Alice, HttpMethod.Get, "/v1/images");
        var summaries = (await GlanceHttp.BodyAsync(list)).GetProperty("images").EnumerateArray().ToList();
        summaries.Select(i => i.GetProperty("id").GetString()).Should().Contain(active).And.NotContain(queued);
        summaries.First(i => i.GetProperty("id").GetString() == active).EnumerateObject().Select(p => p.Name)
            .Should().BeEquivalentTo("id", "name", "disk_format", "container_format", "size", "checksum");
        (await DetailIdsAsync(Alice, $"?name={prefix}-b")).Should().Be(queued);
        (await DetailIdsAsync(Alice, "?disk_format=qcow2&size_min=2&size_max=2")).Should().Contain(active).And.NotContain(queued);
        var sorted = (await DetailIdsAsync(Alice, "?sort_key=name&sort_dir=asc")).Split(',');
        Array.IndexOf(sorted, active).Should().BeLessThan(Array.IndexOf(sorted, queued));
        var first = await DetailIdsAsync(Alice, "?sort_key=name&sort_dir=asc&limit=1");
        (await DetailIdsAsync(Alice, $"?sort_key=name&sort_dir=asc&limit=1&marker={first}")).Should().Be(sorted[1]);
    }

    [Test]
    public async Task Members_see_a_shared_image_replace_sets_the_whole_list_and_shared_images_lists_them()
    {
        var id = await AliceImageAsync("for-bob");

        (await Glance.StatusAsync(Alice, HttpMethod.Put, $"/v1/images/{id}/members/{BobProject}")).Should().Be(HttpStatusCode.NoContent);
        (await Glance.StatusAsync(Alice, HttpMethod.Put, $"/v1/images/{id}/members/{BobProject}")).Should().Be(HttpStatusCode.NoContent, "PUT is idempotent");
        using var members = await Glance.SendAsync(Alice, HttpMethod.Get, $"/v1/images/{id}/members");
        using var shared = await Glance.SendAsync(Bob, HttpMethod.Get, $"/v1/shared-images/{BobProject}");

        (await members.Content.ReadAsStringAsync()).Should().Be($$"""{"members":[{"member_id":"{{BobProject}}","can_share":false}]}""");
        (await shared.Content.ReadAsStringAsync()).Should().Contain(id);
        (await DetailIdsAsync(Bob)).Should().Contain(id);
        (await Glance.StatusAsync(Bob, HttpMethod.Put, $"/v1/images/{id}/members/{BobProject}")).Should().Be(HttpStatusCode.Forbidden);

        (await Glance.StatusAsync(Alice, HttpMethod.Put, $"/v1/images/{id}/members", GlanceHttp.Json(new { memberships = Array.Empty<object>() })))
            .Should().Be(HttpStatusCode.NoContent);
        (await DetailIdsAsync(Bob)).Should().NotContain(id);
        (await Glance.StatusAsync(Alice, HttpMethod.Put, $"/v1/images/{id}/members", GlanceHttp.Json(new { memberships = new[] { new { member_id = BobProject } } })))
            .Should().Be(HttpStatusCode.NoContent);
        (await Glance.StatusAsync(Bob, HttpMethod.Head, $"/v1/images/{id}")).Should().Be(HttpStatusCode.OK);
        (await Glance.StatusAsync(Alice, HttpMethod.Delete, $"/v1/images/{id}/members/{BobProject}")).Should().Be(HttpStatusCode.NoContent);
        (await Glance.StatusAsync(Bob, HttpMethod.Head, $"/v1/images/{id}")).Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Bad_input_and_unknown_ids_are_4xx()
    {
        async Task<HttpStatusCode> PostAsync(Dictionary<string, string> meta, HttpContent? data = null)
        {
            using var response = await Glance.SendAsync(Alice, HttpMethod.Post, "/v1/images", data, headers: meta);
            return response.StatusCode;
        }

        (await PostAsync(Meta(("disk_format", "floppy")))).Should().Be(HttpStatusCode.BadRequest);
        (await PostAsync(Meta(("container_format", "zip")))).Should().Be(HttpStatusCode.BadRequest);
        (await PostAsync(Meta(("min_ram", "lots")))).Should().Be(HttpStatusCode.BadRequest);
        (await PostAsync(Meta(("is_public", "maybe")))).Should().Be(HttpStatusCode.BadRequest);
        (await PostAsync(Meta(("colour", "blue")))).Should().Be(HttpStatusCode.BadRequest);
        (await PostAsync(Meta(("location", "http://example.com/x")))).Should().Be(HttpStatusCode.BadRequest);
        (await PostAsync(Meta(("property-x", new string('v', 300))))).Should().Be(HttpStatusCode.BadRequest);
        (await PostAsync(Meta(("name", "no formats")), Data([1]))).Should().Be(HttpStatusCode.BadRequest);
        (await PostAsync(Meta(("disk_format", "raw"), ("container_format", "bare"), ("checksum", new string('0', 32))), Data([1]))).Should().Be(HttpStatusCode.BadRequest);
        (await PostAsync(Meta(("disk_format", "raw"), ("container_format", "bare"), ("size", "5")), Data([1], chunked: true))).Should().Be(HttpStatusCode.BadRequest);
        var unknown = Guid.NewGuid();
        (await Glance.StatusAsync(Alice, HttpMethod.Head, $"/v1/images/{unknown}")).Should().Be(HttpStatusCode.NotFound);
        (await Glance.StatusAsync(Alice, HttpMethod.Get, $"/v1/images/{unknown}")).Should().Be(HttpStatusCode.NotFound);
        (await Glance.StatusAsync(Alice, HttpMethod.Delete, $"/v1/images/{unknown}")).Should().Be(HttpStatusCode.NotFound);
        (await Glance.StatusAsync(Alice, HttpMethod.Put, $"/v1/images/{unknown}", Data([1]))).Should().Be(HttpStatusCode.NotFound);
        (await Glance.StatusAsync(Alice, HttpMethod.Get, "/v1/images/detail?sort_key=colour")).Should().Be(HttpStatusCode.BadRequest);
        (await Glance.StatusAsync(Alice, HttpMethod.Get, "/v1/images/detail?limit=-1")).Should().Be(HttpStatusCode.BadRequest);
        (await Glance.StatusAsync(Alice, HttpMethod.Get, "/v1/images/detail?status=sleepy")).Should().Be(HttpStatusCode.BadRequest);
        using var anonymous = await Glance.SendAsync(null, HttpMethod.Get, "/v1/images/detail");
        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_checksum_mismatch_leaves_the_image_killed_with_nothing_stored()
    {
        var id = await AliceImageAsync("mismatch");

        using var put = await Glance.SendAsync(Alice, HttpMethod.Put, $"/v1/images/{id}", Data([1, 2]), headers: Meta(("checksum", new string('f', 32))));
        using var head = await Glance.SendAsync(Alice, HttpMethod.Head, $"/v1/images/{id}");

        put.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await put.Content.ReadAsStringAsync()).Should().Contain("did not match");
        Header(head, "x-image-meta-status").Should().Be("killed");
        File.Exists(Path.Combine(Cloud.StatePath, "images", id)).Should().BeFalse();
    }

    [Test]
    public async Task A_property_outside_ascii_set_through_v2_reaches_v1_headers_percent_encoded()
    {
        var id = await Glance.CreateAsync(Alice, new { name = "unicode", city = "Zürich" });

        using var head = await Glance.SendAsync(Alice, HttpMethod.Head, $"/v1/images/{id}");

        head.StatusCode.Should().Be(HttpStatusCode.OK);
        Header(head, "x-image-meta-property-city").Should().Be("Z%C3%BCrich");
    }

    [Test]
    public async Task The_versions_document_lists_v1_as_it_is_served()
    {
        using var versions = await Glance.SendAsync(null, HttpMethod.Get, "/versions");

        (await versions.Content.ReadAsStringAsync()).Should().Contain("\"v1.0\"").And.Contain("\"v1.1\"").And.Contain($"{Cloud.GlanceUrl}/v1/");
    }

    /// <summary>A body sent with Transfer-Encoding: chunked, as glanceclient streams files.</summary>
    private sealed class ChunkedContent(byte[] bytes) : ByteArrayContent(bytes)
    {
        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
