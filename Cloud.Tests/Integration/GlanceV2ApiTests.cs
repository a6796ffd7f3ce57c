using System.Net;
using System.Text.Json;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The image API v2's finer points over raw HTTP (what the clients hide): both JSON-patch media types, reserved
/// properties, size and hidden filters, trailing slashes, the version document under <c>/v2/</c>, import and task
/// errors with glance's messages, and who may change metadefs.
/// </summary>
[NonParallelizable]
[Category("Integration")]
public sealed class GlanceV2ApiTests : GlanceUsersFixture
{
    private Task<string> AliceImageAsync(object? body = null) =>
        Glance.CreateAsync(Alice, body ?? new { name = $"img-{Guid.NewGuid():N}", disk_format = "raw", container_format = "bare" });

    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The status and the body, JSON re-written without escapes (the server writes ' as \u0027) so messages read as the clients print them.</summary>
    private async Task<(HttpStatusCode Status, string Body)> CallAsync(string token, HttpMethod method, string path, HttpContent? content = null)
    {
        using var response = await Glance.SendAsync(token, method, path, content);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body.StartsWith('{') ? JsonSerializer.Serialize(JsonDocument.Parse(body).RootElement, Readable) : body);
    }

    private async Task<List<string>> ListIdsAsync(string token, string query)
    {
        var (status, body) = await CallAsync(token, HttpMethod.Get, $"/v2/images{query}");
        status.Should().Be(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
    }

    [Test]
    public async Task The_v2_0_patch_media_type_takes_the_operation_as_member_name()
    {
        var id = await AliceImageAsync();

        var (status, body) = await CallAsync(Alice, HttpMethod.Patch, $"/v2/images/{id}",
            GlanceHttp.Json("""[{"replace": "/name", "value": "renamed"}, {"add": "/color", "value": "blue"}]""", "application/openstack-images-v2.0-json-patch"));
        var (wrong, message) = await CallAsync(Alice, HttpMethod.Patch, $"/v2/images/{id}",
            GlanceHttp.Json("""[{"op": "replace", "path": "/name", "value": "x"}]""", "application/openstack-images-v2.0-json-patch"));

        status.Should().Be(HttpStatusCode.OK, body);
        JsonDocument.Parse(body).RootElement.GetProperty("name").GetString().Should().Be("renamed");
        JsonDocument.Parse(body).RootElement.GetProperty("color").GetString().Should().Be("blue");
        wrong.Should().Be(HttpStatusCode.BadRequest);
        message.Should().Contain("exactly one member");
    }

    [TestCase("os_glance_import_task")]
    [TestCase("os_glance_anything")]
    [TestCase("deleted")]
    public async Task Reserved_properties_are_403_on_create_and_patch(string property)
    {
        var id = await AliceImageAsync();

        var (create, createBody) = await CallAsync(Alice, HttpMethod.Post, "/v2/images", GlanceHttp.Json($$"""{"name": "r", "{{property}}": "x"}"""));
        var (patch, _) = await CallAsync(Alice, HttpMethod.Patch, $"/v2/images/{id}", GlanceHttp.Patch($$"""[{"op": "add", "path": "/{{property}}", "value": "x"}]"""));

        create.Should().Be(HttpStatusCode.Forbidden);
        createBody.Should().Contain($"Attribute '{property}' is reserved.");
        patch.Should().Be(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task Size_filters_match_exact_and_ranged_sizes()
    {
        var small = await AliceImageAsync();
        var large = await AliceImageAsync();
        await Glance.UploadAsync(Alice, small, new byte[1234]);
        await Glance.UploadAsync(Alice, large, new byte[5678]);

        (await ListIdsAsync(Alice, "?size=1234")).Should().Contain(small).And.NotContain(large);
        (await ListIdsAsync(Alice, "?size_min=2000")).Should().Contain(large).And.NotContain(small);
        (await ListIdsAsync(Alice, "?size_max=2000")).Should().Contain(small).And.NotContain(large);
        (await CallAsync(Alice, HttpMethod.Get, "/v2/images?size=big")).Status.Should().Be(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Hidden_images_are_listed_only_when_asked_for()
    {
        var hidden = await AliceImageAsync(new { name = "hidden", disk_format = "raw", container_format = "bare", os_hidden = true });
        var shown = await AliceImageAsync();

        (await ListIdsAsync(Alice, "")).Should().Contain(shown).And.NotContain(hidden);
        (await ListIdsAsync(Alice, "?os_hidden=true")).Should().Contain(hidden).And.NotContain(shown);
        (await CallAsync(Alice, HttpMethod.Get, "/v2/images?os_hidden=maybe")).Body.Should().Contain("Invalid value 'maybe' for 'os_hidden' filter");
        (await CallAsync(Alice, HttpMethod.Get, $"/v2/images/{hidden}")).Body.Should().Contain("\"os_hidden\":true");
    }

    [Test]
    public async Task A_trailing_slash_is_404_as_is_v2_itself_and_the_versions_reach_v2_15()
    {
        (await CallAsync(Alice, HttpMethod.Get, "/v2/images/")).Status.Should().Be(HttpStatusCode.NotFound);
        (await CallAsync(Alice, HttpMethod.Get, "/v2/")).Status.Should().Be(HttpStatusCode.NotFound, "Debian's glance 25 answers GET /v2/ with 404");
        var (status, body) = await CallAsync(Alice, HttpMethod.Get, "/versions");
        status.Should().Be(HttpStatusCode.OK);
        body.Should().Contain("\"v2.15\"").And.Contain("CURRENT");
    }

    [Test]
    public async Task Import_checks_the_method_and_the_image_status_as_glance_does()
    {
        var id = await AliceImageAsync();
        static StringContent Direct() => GlanceHttp.Json("""{"method": {"name": "glance-direct"}}""");

        (await CallAsync(Alice, HttpMethod.Post, $"/v2/images/{id}/import", GlanceHttp.Json("""{"method": {"name": "web-download", "uri": "http://example.com/x"}}""")))
            .Body.Should().Contain("Unknown import method name 'web-download'.");
        (await CallAsync(Alice, HttpMethod.Post, $"/v2/images/{id}/import", GlanceHttp.Json("{}"))).Body.Should().Contain("requires a 'method' field");
        var (notStaged, message) = await CallAsync(Alice, HttpMethod.Post, $"/v2/images/{id}/import", Direct());
        notStaged.Should().Be(HttpStatusCode.Conflict);
        message.Should().Contain("Image needs to be staged before 'glance-direct' method can be used");

        static ByteArrayContent Data()
        {
            var data = new ByteArrayContent(new byte[4096]);
            data.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            return data;
        }
        (await CallAsync(Bob, HttpMethod.Put, $"/v2/images/{id}/stage", Data())).Status.Should().Be(HttpStatusCode.NotFound);
        (await CallAsync(Alice, HttpMethod.Put, $"/v2/images/{id}/stage", Data())).Status.Should().Be(HttpStatusCode.NoContent);
        (await CallAsync(Alice, HttpMethod.Get, $"/v2/images/{id}")).Body.Should().Contain("\"uploading\"");
        (await CallAsync(Alice, HttpMethod.Post, $"/v2/images/{id}/import", Direct())).Status.Should().Be(HttpStatusCode.Accepted);
        await Poller.UntilAsync(async () => (await CallAsync(Alice, HttpMethod.Get, $"/v2/images/{id}")).Body.Contains("\"active\""), TimeSpan.FromSeconds(30), "import to finish");

        var (again, againBody) = await CallAsync(Alice, HttpMethod.Post, $"/v2/images/{id}/import", Direct());
        again.Should().Be(HttpStatusCode.Conflict);
        againBody.Should().Contain("Image with status active cannot be target for import");
        // As in glance's import flow, the image goes active before its task is marked a success (the staged data is
        // removed in between): a client that saw "active" may still see the task "processing" for a moment.
        JsonElement tasks = default;
        await Poller.UntilAsync(async () =>
        {
            tasks = JsonDocument.Parse((await CallAsync(Alice, HttpMethod.Get, $"/v2/images/{id}/tasks")).Body).RootElement.GetProperty("tasks").Clone();
            return tasks.GetArrayLength() == 1 && tasks[0].GetProperty("status").GetString() != "processing";
        }, TimeSpan.FromSeconds(30), "the import task to finish");
        tasks.GetArrayLength().Should().Be(1);
        tasks[0].GetProperty("status").GetString().Should().Be("success");
        tasks[0].GetProperty("type").GetString().Should().Be("api_image_import");
        var taskId = tasks[0].GetProperty("id").GetString();
        (await CallAsync(Alice, HttpMethod.Get, $"/v2/tasks/{taskId}")).Status.Should().Be(HttpStatusCode.Forbidden, "the tasks API is glance's admin-only tasks_api_access");
        (await CallAsync(Admin, HttpMethod.Get, $"/v2/tasks/{taskId}")).Body.Should().Contain("\"image_id\"");
        (await CallAsync(Admin, HttpMethod.Get, "/v2/tasks")).Body.Should().Contain(taskId);
    }

    [Test]
    public async Task Info_documents_list_the_import_methods_the_store_and_the_usage()
    {
        (await CallAsync(Alice, HttpMethod.Get, "/v2/info/import")).Body.Should().Contain("\"import-methods\"").And.Contain("glance-direct");
        (await CallAsync(Alice, HttpMethod.Get, "/v2/info/stores")).Body.Should().Contain("\"id\":\"file\"").And.Contain("\"default\":\"true\"");
        (await CallAsync(Alice, HttpMethod.Get, "/v2/info/stores/detail")).Status.Should().Be(HttpStatusCode.Forbidden);
        (await CallAsync(Alice, HttpMethod.Get, "/v2/info/usage")).Body.Should().Contain("\"image_count_total\"");
    }

    [Test]
    public async Task Metadefs_answer_glance_s_404s_and_only_admins_are_told_why_they_cannot_change_them()
    {
        (await CallAsync(Alice, HttpMethod.Get, "/v2/metadefs/namespaces/No::Such")).Body.Should().Contain("Metadata definition namespace=No::Such was not found.");
        (await CallAsync(Alice, HttpMethod.Get, "/v2/metadefs/namespaces/OS::Compute::CPUPinning/properties/nope")).Status.Should().Be(HttpStatusCode.NotFound);
        (await CallAsync(Alice, HttpMethod.Get, "/v2/metadefs/namespaces/OS::Compute::CPUPinning/properties/cpu_policy")).Body.Should().Contain("\"name\":\"cpu_policy\"");
        (await CallAsync(Alice, HttpMethod.Delete, "/v2/metadefs/namespaces/OS::Compute::CPUPinning")).Body.Should().Contain("delete_metadef_namespace");
        (await CallAsync(Alice, HttpMethod.Get, "/v2/schemas/metadefs/namespace")).Status.Should().Be(HttpStatusCode.OK);
        var page = JsonDocument.Parse((await CallAsync(Alice, HttpMethod.Get, "/v2/metadefs/namespaces?limit=2")).Body).RootElement;
        page.GetProperty("namespaces").GetArrayLength().Should().Be(2);
        page.GetProperty("next").GetString().Should().Contain("marker=");
    }
}
