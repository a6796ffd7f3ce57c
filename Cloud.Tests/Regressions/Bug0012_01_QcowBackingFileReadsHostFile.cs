using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12, hole 1: a tenant's qcow2 whose header names a backing file (<c>qemu-img create -b /host/file -F raw</c>)
/// booted with that host file as its disk: qemu-img probed the image without <c>-f</c>, nothing looked at its backing
/// file, and glance's disk_format was dropped. The attack is mounted on a real cloud (libvirt, TCG): alice uploads the
/// crafted image to glance as qcow2 and boots it through the compute API. It must end in ERROR with a clean fault, no
/// domain defined, nothing left in the instance or image directories, and the host file never opened.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class Bug0012_01_QcowBackingFileReadsHostFile
{
    private RealCloud _cloud = null!;
    private TempDir _files = null!;
    private string _alice = "";

    private ComputeApiCloud Compute => _cloud.Guests.Compute;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        TestEnv.RequireRoot();
        ExternalTool.Require("qemu-img", "qemu-utils");
        _files = new TempDir().Traversable();
        _cloud = await RealCloud.StartAsync("bug12a");
        _alice = await Compute.TokenAsync("alice");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }
        _files?.Dispose();
    }

    [Test]
    public async Task A_qcow2_backed_by_a_host_file_ends_in_error_and_qemu_never_opens_the_file()
    {
        var secret = _files.File("the-host-file", "host secret: " + new string('x', 1 << 20));
        var image = await CraftAsync("evil.qcow2", "-f", "qcow2", "-b", secret, "-F", "raw", "{0}", "64M");
        var readBefore = DateTime.UtcNow.AddHours(-1);
        File.SetLastAccessTimeUtc(secret, readBefore);

        await BootRefusedAsync(image, "qcow2", "backing file not allowed");

        File.GetLastAccessTimeUtc(secret).Should().Be(readBefore, "nothing read the host file");
    }

    [Test]
    public async Task A_qcow2_uploaded_as_raw_ends_in_error_as_a_format_mismatch()
    {
        var image = await CraftAsync("sneaky.qcow2", "-f", "qcow2", "{0}", "64M");

        await BootRefusedAsync(image, "raw", "format mismatch: declared raw, data is qcow2");
    }

    [Test]
    public async Task A_tiny_qcow2_declaring_a_petabyte_ends_in_error()
    {
        var image = await CraftAsync("huge.qcow2", "-f", "qcow2", "{0}", "1P");

        await BootRefusedAsync(image, "qcow2", "its virtual size of 1048576 GiB is more than the host's instance storage*");
    }

    /// <summary>Uploads the file to glance as alice with <paramref name="diskFormat"/>, boots it and expects ERROR with the fault.</summary>
    private async Task BootRefusedAsync(string file, string diskFormat, string reason)
    {
        var imageId = await Compute.Glance.CreateAsync(_alice, new { name = Path.GetFileName(file), disk_format = diskFormat, container_format = "bare" });
        await Compute.Glance.UploadAsync(_alice, imageId, await File.ReadAllBytesAsync(file));
        var (status, body) = await Compute.NovaAsync(_alice, HttpMethod.Post, "/v2.1/servers", new { server = new { name = "attack", imageRef = imageId, flavorRef = "1" } });
        status.Should().Be(202, body);
        var uuid = ComputeApiCloud.Json(body).GetProperty("server").GetProperty("id").GetString()!;

        var server = ComputeApiCloud.Json("{}");
        await _cloud.UntilAsync(async () =>
        {
            server = ComputeApiCloud.Json((await Compute.NovaAsync(_alice, HttpMethod.Get, $"/v2.1/servers/{uuid}")).Body).GetProperty("server");
            return server.GetProperty("status").GetString() is "ERROR" or "ACTIVE";
        }, $"server {uuid} to leave BUILD");

        server.GetProperty("status").GetString().Should().Be("ERROR");
        server.GetProperty("fault").GetProperty("message").GetString().Should().Match($"Image {imageId} is unacceptable: {reason}");
        server.GetProperty("fault").GetProperty("code").GetInt32().Should().Be(400, "the tenant's image is at fault, not the cloud");
        var name = "instance-" + (await _cloud.Guests.Ec2IdOfAsync(uuid))[2..];
        (await _cloud.Host.VirshAsync("list", "--all", "--name")).Should().NotContain(name, "no domain was defined");
        var instances = Path.Combine(_cloud.Api.StatePath, "instances");
        Directory.Exists(Path.Combine(instances, name)).Should().BeFalse("the instance's directory is removed");
        var cached = Directory.Exists(Path.Combine(instances, "_base")) ? Directory.GetFiles(Path.Combine(instances, "_base")) : [];
        cached.Should().BeEmpty("an image refused by inspection never enters the host's image cache");
    }

    /// <summary>Runs qemu-img create with the arguments, <c>{0}</c> standing for the new file; returns its path.</summary>
    private async Task<string> CraftAsync(string name, params string[] args)
    {
        var path = Path.Combine(_files.Path, name);
        var run = await ExternalTool.RunAsync("/usr/bin/qemu-img", ["create", .. args.Select(a => a == "{0}" ? path : a)], _files.Path);
        run.ExitCode.Should().Be(0, run.ToString());
        return path;
    }
}
