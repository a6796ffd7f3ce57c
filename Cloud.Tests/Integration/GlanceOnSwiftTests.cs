using System.Net;
using System.Net.Http.Headers;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Seed 5.7 "Glance on Swift": a cloudd <c>--roles=api,glance --default_store=swift</c> keeping its images in a real
/// cloudd swift cluster, driven by the real <c>glance</c> and <c>swift</c> clients; and a misconfigured swift store
/// answered as the server's fault (503), not the caller's.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class GlanceOnSwiftTests
{
    private readonly TempDir _home = new();
    private SwiftCluster _swift = null!;
    private ApiCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _swift = await SwiftCluster.StartAsync();
        _cloud = await ApiCloud.StartAsync(roles: "api,glance", extraFlags: SwiftStoreFlags(SwiftImageStoreHarness.Key, "glance", create: true));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _cloud.DisposeAsync();
        await _swift.DisposeAsync();
        _home.Dispose();
    }

    private string[] SwiftStoreFlags(string key, string container, bool create) =>
    [
        "--default_store=swift", $"--swift_store_auth_address={_swift.AuthUrl}", $"--swift_store_user={SwiftImageStoreHarness.User}",
        $"--swift_store_key={key}", $"--swift_store_container={container}", $"--swift_store_create_container_on_put={create}",
    ];

    private async Task<string> RunAsync(string program, string[] args, Dictionary<string, string>? environment = null)
    {
        var run = await ExternalTool.RunAsync(program, args, _home.Path, environment: environment, timeout: TimeSpan.FromSeconds(90));
        run.ExitCode.Should().Be(0, $"{Path.GetFileName(program)} {string.Join(' ', args)} failed: {run}\n{_cloud.Logs}");
        return run.Stdout;
    }

    private Task<string> GlanceAsync(params string[] args) => RunAsync(ExternalTool.Require("/usr/bin/glance", "python3-glanceclient"), args, new()
    {
        ["OS_AUTH_URL"] = $"{_cloud.KeystoneUrl}/v3",
        ["OS_USERNAME"] = "alice",
        ["OS_PASSWORD"] = ApiCloud.UserPassword,
        ["OS_PROJECT_NAME"] = "other",
        ["OS_USER_DOMAIN_NAME"] = "Default",
        ["OS_PROJECT_DOMAIN_NAME"] = "Default",
    });

    private async Task<string[]> SwiftListAsync(string container) =>
        (await RunAsync(ExternalTool.Require("/usr/bin/swift", "python3-swiftclient"),
            ["-A", _swift.AuthUrl, "-U", SwiftImageStoreHarness.User, "-K", SwiftImageStoreHarness.Key, "list", container]))
        .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string Field(string table, string name) =>
        table.Split('\n').Select(l => l.Split('|', StringSplitOptions.TrimEntries)).First(c => c.Length > 2 && c[1] == name)[2];

    [Test]
    public async Task Glance_image_create_stores_the_data_in_the_swift_container_and_image_download_reads_it_back_through_the_cache()
    {
        var file = Path.Combine(_home.Path, "ttylinux.img");
        await File.WriteAllBytesAsync(file, System.Security.Cryptography.RandomNumberGenerator.GetBytes(1_500_000));

        var created = await GlanceAsync("image-create", "--name", "ttylinux", "--disk-format", "ami", "--container-format", "ami", "--file", file);
        var id = Field(created, "id");
        var output = Path.Combine(_home.Path, "ttylinux.out");
        await GlanceAsync("image-download", "--file", output, id);

        Field(created, "status").Should().Be("active");
        (await SwiftListAsync("glance")).Should().Contain(id);
        File.ReadAllBytes(output).Should().Equal(File.ReadAllBytes(file));
        File.Exists(Path.Combine(_cloud.StatePath, "image-cache", id)).Should().BeTrue("a whole download fills the API node's image cache");

        await GlanceAsync("image-delete", id);
        (await SwiftListAsync("glance")).Should().NotContain(id);
        File.Exists(Path.Combine(_cloud.StatePath, "image-cache", id)).Should().BeFalse("a deleted image leaves the cache too");
    }

    [TestCase("wrong-key", "glance", true, "swift_store_key")]
    [TestCase(SwiftImageStoreHarness.Key, "not-there", false, "swift_store_create_container_on_put")]
    public async Task A_misconfigured_swift_store_answers_503_naming_the_flag_to_fix(string key, string container, bool create, string flag)
    {
        await using var cloud = await ApiCloud.StartAsync(roles: "api,glance", extraFlags: SwiftStoreFlags(key, container, create));
        using var glance = new GlanceHttp(cloud);
        var token = await glance.TokenAsync("alice", ApiCloud.UserPassword, "other");
        var id = await glance.CreateAsync(token, new { name = "x", disk_format = "raw", container_format = "bare" });
        var data = new ByteArrayContent([1, 2, 3]);
        data.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var upload = await glance.SendAsync(token, HttpMethod.Put, $"/v2/images/{id}/file", data);

        upload.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await upload.Content.ReadAsStringAsync()).Should().Contain(flag).And.NotContain("wrong-key");
    }
}
