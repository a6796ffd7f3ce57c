using System.Text.RegularExpressions;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// <c>cloudd glance</c> as the seed's operator uses it (chapter 3.6) against a real <c>cloudd --roles=api,glance</c>:
/// the kernel, ramdisk and machine image uploaded with <c>upload</c>, then index, show, update, members, a prefetch into
/// the image cache, a download (served from the cache), delete and clear, authenticated from the OS_* environment like the real clients.
/// </summary>
[NonParallelizable]
[Category("Integration")]
public sealed partial class GlanceCommandTests
{
    private readonly TempDir _work = new();
    private ApiCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await ApiCloud.StartAsync(roles: "api,glance");

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _cloud.DisposeAsync();
        _work.Dispose();
    }

    private Dictionary<string, string> Credentials => new()
    {
        ["OS_AUTH_URL"] = $"{_cloud.KeystoneUrl}/v3",
        ["OS_USERNAME"] = "berendt",
        ["OS_PASSWORD"] = ApiCloud.AdminPassword,
        ["OS_PROJECT_NAME"] = "testing",
    };

    private Task<ToolRun> TryGlanceAsync(params string[] args) =>
        ExternalTool.RunAsync("dotnet", [CloudProcess.Dll, "glance", .. args], _work.Path, environment: Credentials, timeout: TimeSpan.FromSeconds(60));

    private async Task<string> GlanceAsync(params string[] args)
    {
        var run = await TryGlanceAsync(args);
        run.ExitCode.Should().Be(0, $"cloudd glance {string.Join(' ', args)}: {run}");
        return run.Stdout;
    }

    private string File(string name, int bytes)
    {
        var path = Path.Combine(_work.Path, name);
        System.IO.File.WriteAllBytes(path, System.Security.Cryptography.RandomNumberGenerator.GetBytes(bytes));
        return path;
    }

    [GeneratedRegex("'id': '([0-9a-f-]{36})'")]
    private static partial Regex IdentifierId();

    private async Task<string> UploadAsync(params string[] args)
    {
        var stored = await GlanceAsync(["upload", .. args]);
        stored.Should().StartWith("Stored image. Got identifier: {");
        return IdentifierId().Match(stored).Groups[1].Value;
    }

    [Test]
    public async Task The_seeds_upload_sequence_then_index_show_update_members_download_delete_and_clear()
    {
        var kernel = await UploadAsync("--type", "kernel", File("ttylinux-vmlinuz", 40_000), "ttylinux-uec");
        var ramdisk = await UploadAsync("--type", "ramdisk", File("ttylinux-initrd", 20_000), "ttylinux-uec");
        var image = File("ttylinux.img", 250_000);
        var machine = await UploadAsync("--type", "machine", "--ramdisk", ramdisk, "--kernel", kernel, image, "ttylinux-uec");

        var index = await GlanceAsync("index");
        index.Should().StartWith("Found 3 images...");
        index.Split('\n')[1].Should().MatchRegex("^ID +Name +Disk Format +Container Format +Size$");
        index.Should().MatchRegex($"{machine} +ttylinux-uec +ami +ami +250000").And.MatchRegex($"{kernel} +ttylinux-uec +aki +aki +40000").And.Contain(ramdisk);
        var shown = await GlanceAsync("show", machine);
        shown.Split('\n').Should().Contain([$"Id: {machine}", "Name: ttylinux-uec", "Status: active", "Size: 250000", "Disk format: ami",
            "Container format: ami", "Public: No", $"Property 'kernel_id': {kernel}", $"Property 'ramdisk_id': {ramdisk}", "Property 'type': machine"]);
        shown.Should().StartWith($"URI: {_cloud.GlanceUrl}/v1/images/{machine}");

        var updated = await GlanceAsync("update", machine, "name=ttylinux", "architecture=x86_64");
        updated.Split('\n').Should().Contain([$"Updated image {machine}", "Name: ttylinux", "Property 'architecture': x86_64", $"Property 'kernel_id': {kernel}"]);

        var other = (await _cloud.ManageAsync("project", "list")).Split('\n').First(l => l.StartsWith("other ", StringComparison.Ordinal)).Split(" ", StringSplitOptions.RemoveEmptyEntries)[1];
        await GlanceAsync("member-add", machine, other);
        (await GlanceAsync("image-members", machine)).Trim().Should().Be(other);
        (await GlanceAsync("member-images", other)).Trim().Should().Be(machine);
        await GlanceAsync("member-delete", machine, other);
        (await GlanceAsync("image-members", machine)).Trim().Should().BeEmpty();

        (await _cloud.ManageAsync("image-cache", "prefetch", machine, "--now")).Trim().Should().Be($"Cached image {machine}");
        (await _cloud.ManageAsync("image-cache", "index")).Should().Contain(machine);
        var output = Path.Combine(_work.Path, "ttylinux.out");
        (await GlanceAsync("download", machine, "--file", output)).Should().BeEmpty("no progress bar when stdout is not a terminal");
        System.IO.File.ReadAllBytes(output).Should().Equal(System.IO.File.ReadAllBytes(image));

        (await GlanceAsync("delete", kernel)).Trim().Should().Be($"Deleted image {kernel}");
        var gone = await TryGlanceAsync("show", kernel);
        gone.ExitCode.Should().Be(1);
        gone.Stderr.Should().Contain("not found");
        (await GlanceAsync("add", "name=raw-one", "disk_format=raw", "container_format=bare", "colour=blue", "--file", File("raw", 1000)))
            .Should().MatchRegex("^Added new image with ID: [0-9a-f-]{36}\n$");
        (await GlanceAsync("details")).Should().Contain("Property 'colour': blue").And.Contain(new string('=', 80));

        (await GlanceAsync("clear")).Should().EndWith("Deleted 3 images\n");
        (await GlanceAsync("index")).Trim().Should().Be("No images found.");
    }

    [Test]
    public async Task On_a_terminal_an_upload_and_a_download_draw_a_progress_bar()
    {
        var file = File("bar.img", 3_000_000);
        string OnTerminal(params string[] args) => string.Join(' ', new[] { "dotnet", CloudProcess.Dll, "glance" }.Concat(args).Select(a => $"'{a}'"));

        var upload = await TryGlanceOnTerminalAsync(OnTerminal("upload", "--type", "kernel", file, "bar"));
        var id = IdentifierId().Match(upload.Stdout).Groups[1].Value;
        var download = await TryGlanceOnTerminalAsync(OnTerminal("download", id, "--file", Path.Combine(_work.Path, "bar.out")));

        upload.ExitCode.Should().Be(0, upload.ToString());
        upload.Stdout.Should().Contain("] 100%  2.9/2.9 MiB").And.Contain("Stored image.");
        download.Stdout.Should().Contain("] 100%  2.9/2.9 MiB");
        await GlanceAsync("delete", id);
    }

    /// <summary>Runs a command line on a terminal (util-linux <c>script</c>), so cloudd sees stdout as one.</summary>
    private Task<ToolRun> TryGlanceOnTerminalAsync(string commandLine) =>
        ExternalTool.RunAsync("/usr/bin/script", ["-qec", commandLine, "/dev/null"], _work.Path, environment: Credentials, timeout: TimeSpan.FromSeconds(60));

    [Test]
    public async Task Missing_credentials_and_bad_input_fail_with_one_line()
    {
        var noAuth = await ExternalTool.RunAsync("dotnet", [CloudProcess.Dll, "glance", "index"], _work.Path, timeout: TimeSpan.FromSeconds(60));
        var badType = await TryGlanceAsync("upload", "--type", "floppy", File("f", 10), "f");
        var badFormat = await TryGlanceAsync("add", "name=x", "disk_format=floppy");

        noAuth.ExitCode.Should().Be(1);
        noAuth.Stderr.Trim().Should().Be("cloudd: error: give --os-auth-url or set OS_AUTH_URL");
        badType.ExitCode.Should().Be(1);
        badType.Stderr.Should().Contain("use kernel, ramdisk or machine");
        badFormat.ExitCode.Should().Be(1);
        badFormat.Stderr.Should().Contain("'floppy' is not one of").And.Contain("HTTP 400");
    }
}
