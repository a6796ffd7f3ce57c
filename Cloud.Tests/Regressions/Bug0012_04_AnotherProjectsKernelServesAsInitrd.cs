using System.Text;
using Cloud.Modules.Api.Ec2;
using Cloud.Modules.Compute.Drivers.Libvirt;
using Cloud.Modules.Kernel;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12, hole 4: kernel_id and ramdisk_id were taken from the boot image's properties unchecked, and a compute
/// host served an image file it had cached without asking glance. carol (project third) could point her own image's
/// kernel_id or ramdisk_id at alice's (project other) private kernel, and any host where alice's kernel had once
/// booted would hand it to carol's guest. Now both APIs check the caller can see each image, and the host asks glance
/// as the instance's owner before every reuse of a cached file. Real cloudd (fake test-double driver for the APIs,
/// the real glance fetcher for the host's cache); nothing is left behind by a refused boot.
/// </summary>
[NonParallelizable]
[Category("Integration")]
public sealed class Bug0012_04_AnotherProjectsKernelServesAsInitrd
{
    private ComputeApiCloud _cloud = null!;
    private string _alice = "";
    private string _carol = "";
    private string _aliceKernel = "";
    private string _aliceRamdisk = "";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _cloud = await ComputeApiCloud.StartAsync();
        _alice = await _cloud.TokenAsync("alice");
        _carol = await _cloud.TokenAsync("carol");
        _aliceKernel = await ImageAsync(_alice, new { name = "alice-kernel", disk_format = "aki", container_format = "aki", visibility = "private" });
        _aliceRamdisk = await ImageAsync(_alice, new { name = "alice-ramdisk", disk_format = "ari", container_format = "ari", visibility = "private" });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }
    }

    [Test]
    public async Task Openstack_api_refuses_a_boot_image_whose_kernel_or_ramdisk_is_another_projects_private_image()
    {
        var withKernel = await ImageAsync(_carol, new { name = "carol-k", disk_format = "raw", container_format = "bare", kernel_id = _aliceKernel });
        var withRamdisk = await ImageAsync(_carol, new { name = "carol-r", disk_format = "raw", container_format = "bare", ramdisk_id = _aliceRamdisk });

        foreach (var (image, stolen) in new[] { (withKernel, _aliceKernel), (withRamdisk, _aliceRamdisk) })
        {
            var (status, body) = await _cloud.NovaAsync(_carol, HttpMethod.Post, "/v2.1/servers", new { server = new { name = "thief", imageRef = image, flavorRef = "1" } });
            status.Should().Be(400, body);
            ComputeApiCloud.Json(body).GetProperty("badRequest").GetProperty("message").GetString().Should().Be($"Can not find requested image {stolen}.");
        }
        var servers = await _cloud.NovaAsync(_carol, HttpMethod.Get, "/v2.1/servers");
        ComputeApiCloud.Json(servers.Body).GetProperty("servers").GetArrayLength().Should().Be(0, "a refused boot creates no instance");

        var own = await ImageAsync(_alice, new { name = "alice-machine", disk_format = "raw", container_format = "bare", kernel_id = _aliceKernel, ramdisk_id = _aliceRamdisk });
        var mine = await _cloud.NovaAsync(_alice, HttpMethod.Post, "/v2.1/servers", new { server = new { name = "owner", imageRef = own, flavorRef = "1" } });
        mine.Status.Should().Be(202, "alice may boot with her own kernel: {0}", mine.Body);
    }

    [Test]
    public async Task Ec2_api_refuses_another_projects_private_kernel_from_the_image_or_from_KernelId()
    {
        await ImageAsync(_carol, new { name = "carol-ec2-k", disk_format = "raw", container_format = "bare", kernel_id = _aliceKernel });
        await ImageAsync(_carol, new { name = "carol-ec2-plain", disk_format = "raw", container_format = "bare" });
        var withKernel = await AmiAsync("carol-ec2-k");
        var plain = await AmiAsync("carol-ec2-plain");

        var fromProperty = await _cloud.AwsAsync("carol", "run-instances", "--image-id", withKernel, "--count", "1", "--instance-type", "m1.tiny");
        var fromParameter = await _cloud.AwsAsync("carol", "run-instances", "--image-id", plain, "--count", "1", "--instance-type", "m1.tiny",
            "--kernel-id", Ec2ImageIds.Format(Ec2ImageIds.Kernel, _aliceKernel), "--ramdisk-id", Ec2ImageIds.Format(Ec2ImageIds.Ramdisk, _aliceRamdisk));

        fromProperty.ExitCode.Should().NotBe(0, fromProperty.ToString());
        fromProperty.Stderr.Should().Contain("InvalidParameterValue").And.Contain($"Can not find requested image {_aliceKernel}.");
        fromParameter.ExitCode.Should().NotBe(0, fromParameter.ToString());
        fromParameter.Stderr.Should().Contain("InvalidAMIID.NotFound");
        var described = await _cloud.AwsAsync("carol", "describe-instances", "--query", "length(Reservations[])", "--output", "text");
        described.Stdout.Trim().Should().Be("0", "a refused run-instances creates no instance");
    }

    [Test]
    public async Task A_compute_host_asks_glance_as_the_owner_before_reusing_a_cached_kernel()
    {
        ExternalTool.Require("qemu-img", "qemu-utils");
        using var instances = new TempDir();
        var host = new ComputeHostGlance(_cloud.Cloud);
        var cache = new BaseImageCache(instances.Path, host.Fetcher());
        var kernel = await ImageAsync(_alice, new { name = "alice-cached-kernel", disk_format = "aki", container_format = "aki", visibility = "private" });
        var alice = await host.OwnedByAsync("alice", "other");
        var carol = await host.OwnedByAsync("carol", "third");

        var cached = await cache.EnsureAsync(kernel, alice, default);
        File.Exists(cached.Path).Should().BeTrue("alice's instance put her kernel into the host's cache");

        var stolen = () => cache.EnsureAsync(kernel, carol, default);
        (await stolen.Should().ThrowAsync<CloudException>()).WithMessage($"Image {kernel} not found in glance");
        (await cache.EnsureAsync(kernel, alice, default)).Path.Should().Be(cached.Path, "the owner still reuses her cached kernel");

        using (var delete = await _cloud.Glance.SendAsync(_alice, HttpMethod.Delete, $"/v2/images/{kernel}"))
        {
            delete.IsSuccessStatusCode.Should().BeTrue();
        }
        var deleted = () => cache.EnsureAsync(kernel, alice, default);
        (await deleted.Should().ThrowAsync<CloudException>()).WithMessage($"Image {kernel} not found in glance", "a hit is served only when glance says so");
    }

    private async Task<string> ImageAsync(string token, object body)
    {
        var id = await _cloud.Glance.CreateAsync(token, body);
        await _cloud.Glance.UploadAsync(token, id, Encoding.ASCII.GetBytes($"image {id}: plain bytes, no disk format's magic"));
        return id;
    }

    private async Task<string> AmiAsync(string name)
    {
        var run = await _cloud.AwsAsync("carol", "describe-images", "--query", $"Images[?Name=='{name}'].ImageId", "--output", "text");
        run.ExitCode.Should().Be(0, run.ToString());
        return run.Stdout.Trim();
    }
}
