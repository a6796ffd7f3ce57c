using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>The image API v1 driven by the real Debian <c>glance --os-image-api-version 1</c> against <c>cloudd --roles=api,glance</c>.</summary>
[NonParallelizable]
[Category("Integration")]
public sealed class GlanceV1ClientTests
{
    private readonly TempDir _home = new();
    private ApiCloud _cloud = null!;
    private string _glance = "";

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await ApiCloud.StartAsync(roles: "api,glance");

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _cloud.DisposeAsync();
        _home.Dispose();
    }

    [SetUp]
    public void RequireClient() => _glance = ExternalTool.Require("/usr/bin/glance", "python3-glanceclient");

    private Task<ToolRun> TryGlanceAsync(params string[] args) => RunGlanceAsync(_glance, ["--os-image-api-version", "1", .. args]);

    /// <summary>
    /// Runs glance v1 on a terminal (util-linux <c>script</c>), as an operator does: glanceclient v1 takes any other
    /// stdin for image data, and then refuses to update an active image.
    /// </summary>
    private Task<ToolRun> TryGlanceOnTerminalAsync(params string[] args) =>
        RunGlanceAsync("/usr/bin/script", ["-qec", string.Join(' ', new[] { _glance, "--os-image-api-version", "1" }.Concat(args).Select(a => $"'{a}'")), "/dev/null"]);

    private async Task<ToolRun> RunGlanceAsync(string program, string[] args) =>
        await ExternalTool.RunAsync(program, args, _home.Path, environment: new Dictionary<string, string>
        {
            ["OS_AUTH_URL"] = $"{_cloud.KeystoneUrl}/v3",
            ["OS_USERNAME"] = "alice",
            ["OS_PASSWORD"] = ApiCloud.UserPassword,
            ["OS_PROJECT_NAME"] = "other",
            ["OS_USER_DOMAIN_NAME"] = "Default",
            ["OS_PROJECT_DOMAIN_NAME"] = "Default",
        }, timeout: TimeSpan.FromSeconds(90));

    private Task<string> GlanceAsync(params string[] args) => SucceedsAsync(TryGlanceAsync(args), args);

    private static async Task<string> SucceedsAsync(Task<ToolRun> running, string[] args)
    {
        var run = await running;
        run.ExitCode.Should().Be(0, $"glance {string.Join(' ', args)} failed: {run}");
        return run.Stdout;
    }

    /// <summary>A value of glance's two-column property table.</summary>
    private static string Field(string table, string name) =>
        table.Split('\n').Select(l => l.Split('|', StringSplitOptions.TrimEntries)).First(c => c.Length > 2 && c[1] == name)[2];

    [Test]
    public async Task Glance_v1_creates_lists_shows_downloads_updates_and_deletes_an_image()
    {
        var file = Path.Combine(_home.Path, "vmlinuz");
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(2_000_000);
        await File.WriteAllBytesAsync(file, bytes);

        var created = await GlanceAsync("image-create", "--name", "v1-kernel", "--disk-format", "aki", "--container-format", "aki",
            "--property", "type=kernel", "--file", file);
        var id = Field(created, "id");
        var list = await GlanceAsync("image-list");
        var shown = await GlanceAsync("image-show", "v1-kernel");
        var output = Path.Combine(_home.Path, "vmlinuz.out");
        await GlanceAsync("image-download", "--file", output, id);
        var updated = await SucceedsAsync(TryGlanceOnTerminalAsync("image-update", "--property", "architecture=x86_64", "--name", "v1-kernel-2", id), ["image-update"]);
        await GlanceAsync("image-delete", id);
        var gone = await TryGlanceAsync("image-show", id);

        Field(created, "status").Should().Be("active");
        Field(created, "checksum").Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(bytes)));
        Field(created, "is_public").Should().Be("False");
        Field(created, "Property 'type'").Should().Be("kernel");
        list.Should().Contain(id).And.Contain("v1-kernel").And.Contain("aki");
        Field(shown, "id").Should().Be(id);
        Field(shown, "size").Should().Be("2000000");
        File.ReadAllBytes(output).Should().Equal(bytes);
        Field(updated, "name").Should().Be("v1-kernel-2");
        Field(updated, "Property 'architecture'").Should().Be("x86_64");
        Field(updated, "Property 'type'").Should().Be("kernel", "an update without --purge-props keeps the other properties");
        gone.ExitCode.Should().NotBe(0);
    }
}
