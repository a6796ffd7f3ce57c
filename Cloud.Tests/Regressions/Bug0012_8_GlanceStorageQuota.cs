using System.Net;
using System.Net.Http.Headers;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12, hole 8 (glance): quota_images and the images' bytes were never checked, so one member could fill the
/// image store (image_size_cap is 1 TiB). Now an owner's image count is held to its <c>images</c> quota at create
/// (413) and its bytes to <c>user_storage_quota</c> at upload: 413 with glance's words, the partial data removed
/// and the image queued again for a smaller upload. Over HTTP to a real cloudd with the file store.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class Bug0012_8_GlanceStorageQuota
{
    private ApiCloud _cloud = null!;
    private GlanceHttp _glance = null!;
    private string _token = "";

    private string ImagesDir => Path.Combine(_cloud.StatePath, "images");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _cloud = await ApiCloud.StartAsync(null, "api,glance", "--user_storage_quota=1000", "--quota_images=3");
        _glance = new GlanceHttp(_cloud);
        _token = await _glance.TokenAsync("alice", ApiCloud.UserPassword, "other");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _glance?.Dispose();
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }
    }

    [Test, Order(1)]
    public async Task An_upload_past_the_storage_quota_is_a_413_that_keeps_no_data_and_leaves_the_image_queued()
    {
        var id = await _glance.CreateAsync(_token, new { name = "too-big", disk_format = "raw", container_format = "bare" });

        using var sized = await UploadAsync(id, new byte[1500], chunked: false);
        using var chunked = await UploadAsync(id, new byte[1500], chunked: true);

        foreach (var response in new[] { sized, chunked })
        {
            response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
            (await GlanceHttp.BodyAsync(response)).GetProperty("error").GetProperty("message").GetString()
                .Should().StartWith("Image exceeds the storage quota: The size of the data").And.Contain("1000 bytes remaining");
        }
        StoredFiles().Should().BeEmpty("the partial data was removed");
        using var show = await _glance.SendAsync(_token, HttpMethod.Get, $"/v2/images/{id}");
        (await GlanceHttp.BodyAsync(show)).GetProperty("status").GetString().Should().Be("queued");

        using var fits = await UploadAsync(id, new byte[600], chunked: false);
        fits.StatusCode.Should().Be(HttpStatusCode.NoContent, "the image takes data again once it fits");
    }

    [Test, Order(2)]
    public async Task The_quota_counts_the_bytes_of_all_the_owners_images()
    {
        var id = await _glance.CreateAsync(_token, new { name = "second", disk_format = "raw", container_format = "bare" });

        using var response = await UploadAsync(id, new byte[600], chunked: true);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await response.Content.ReadAsStringAsync()).Should().Contain("400 bytes remaining");
        StoredFiles().Should().HaveCount(1, "only the first image's data is stored");
    }

    [Test, Order(3)]
    public async Task An_image_past_the_image_count_quota_is_a_413_and_is_not_created()
    {
        await _glance.CreateAsync(_token, new { name = "third", disk_format = "raw", container_format = "bare" });

        using var response = await _glance.SendAsync(_token, HttpMethod.Post, "/v2/images", GlanceHttp.Json(new { name = "fourth", disk_format = "raw", container_format = "bare" }));
        using var v1 = await _glance.SendAsync(_token, HttpMethod.Post, "/v1/images", null, headers: new Dictionary<string, string> { ["x-image-meta-name"] = "fourth-v1" });

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await GlanceHttp.BodyAsync(response)).GetProperty("error").GetProperty("message").GetString()
            .Should().Be("Resource image_count is over limit of 3 due to the current usage 3 and delta 1");
        v1.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        using var list = await _glance.SendAsync(_token, HttpMethod.Get, "/v2/images");
        (await GlanceHttp.BodyAsync(list)).GetProperty("images").EnumerateArray().Select(i => i.GetProperty("name").GetString())
            .Should().BeEquivalentTo("too-big", "second", "third");
    }

    [Test, Order(4)]
    public async Task A_projects_object_bytes_quota_limits_its_images_more_tightly_than_the_flag()
    {
        await _cloud.ManageAsync("project", "quota", "testing", "object_bytes", "500");
        var token = await _glance.TokenAsync("berendt", ApiCloud.AdminPassword, "testing");
        var id = await _glance.CreateAsync(token, new { name = "project-limited", disk_format = "raw", container_format = "bare" });

        using var response = await UploadAsync(id, new byte[600], chunked: false, token);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await response.Content.ReadAsStringAsync()).Should().Contain("500 bytes remaining");
    }

    private async Task<HttpResponseMessage> UploadAsync(string id, byte[] data, bool chunked, string? token = null)
    {
        HttpContent content = chunked ? new StreamContent(new MemoryStream(data)) : new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (chunked)
        {
            content.Headers.ContentLength = null;
        }
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{_cloud.GlanceUrl}/v2/images/{id}/file") { Content = content };
        request.Headers.Add("X-Auth-Token", token ?? _token);
        request.Headers.TransferEncodingChunked = chunked;
        using var http = new HttpClient();
        return await http.SendAsync(request);
    }

    private string[] StoredFiles() => Directory.Exists(ImagesDir) ? Directory.GetFiles(ImagesDir) : [];
}
