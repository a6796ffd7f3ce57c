using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Drivers.Libvirt;
using Cloud.Modules.Compute.Images;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// A compute host's cold fetch of the test image's three parts (kernel aki, ramdisk ari, disk qcow2) from a real cloudd
/// glance into its <c>_base</c> cache: all three in flight at once, and a part whose bytes do not match glance's MD5
/// fails the boot cleanly, leaving no file of it in <c>_base</c>.
/// </summary>
[NonParallelizable]
[Category("Integration")]
public sealed class GuestImagePartsTests
{
    private ApiCloud _cloud = null!;
    private GlanceHttp _glance = null!;
    private ComputeHostGlance _host = null!;
    private TempDir _instances = null!;
    private string _token = "";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _cloud = await ApiCloud.StartAsync(roles: "api,glance");
        _glance = new GlanceHttp(_cloud);
        _host = new ComputeHostGlance(_cloud);
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

    [SetUp]
    public void MakeInstancesPath() => _instances = new TempDir();

    [TearDown]
    public void RemoveInstancesPath() => _instances.Dispose();

    [Test]
    public async Task The_kernel_ramdisk_and_disk_are_fetched_at_once_into_base_each_identical_to_the_upload()
    {
        var (spec, files) = await UploadTestImageAsync();
        var fetcher = new AllAtOnceFetcher(_host.Fetcher(), parts: 3);
        var cache = new BaseImageCache(_instances.Path, fetcher);

        var parts = await GuestImageParts.EnsureAsync(cache, spec, default);

        fetcher.MostInFlight.Should().Be(3, "no part waits for another's download");
        foreach (var (part, file) in new[] { (parts.Disk, files.Disk), (parts.Kernel, files.Kernel), (parts.Ramdisk, files.Ramdisk) })
        {
            (await File.ReadAllBytesAsync(part!.Path)).Should().Equal(await File.ReadAllBytesAsync(file));
        }
        parts.Disk!.Format.Should().Be("qcow2");
        Directory.EnumerateFiles(cache.Directory).Should().HaveCount(3, "no temporary file is left behind");
    }

    [Test]
    public async Task A_kernel_whose_bytes_do_not_match_glances_md5_fails_the_fetch_and_leaves_no_file_of_it_in_base()
    {
        var (spec, _) = await UploadTestImageAsync();
        var stored = Path.Combine(_cloud.StatePath, "images", spec.KernelId!);
        var altered = await File.ReadAllBytesAsync(stored);
        altered[altered.Length / 2] ^= 0xff;
        await File.WriteAllBytesAsync(stored, altered);
        var cache = new BaseImageCache(_instances.Path, new AllAtOnceFetcher(_host.Fetcher(), parts: 3));

        var fetch = () => GuestImageParts.EnsureAsync(cache, spec, default);

        (await fetch.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain($"Image {spec.KernelId}: downloaded data has MD5");
        File.Exists(cache.PathOf(spec.KernelId!)).Should().BeFalse("a kernel that failed its checksum never enters the cache");
        Directory.EnumerateFiles(cache.Directory).Should().NotContain(f => f.Contains(".part-", StringComparison.Ordinal), "no partial download stays");
        Directory.EnumerateFiles(cache.Directory).Should().BeEquivalentTo(new[] { cache.PathOf(spec.ImageRef), cache.PathOf(spec.RamdiskId!) },
            "the parts that were fetched whole and checked stay cached for the next boot");
    }

    private async Task<(InstanceSpec Spec, (string Disk, string Kernel, string Ramdisk) Files)> UploadTestImageAsync()
    {
        var files = (Disk: await TestImage.MachineImageAsync(), Kernel: await TestImage.KernelAsync(), Ramdisk: await TestImage.RamdiskAsync());
        var kernel = await UploadAsync(files.Kernel, "aki");
        var ramdisk = await UploadAsync(files.Ramdisk, "ari");
        var disk = await UploadAsync(files.Disk, "qcow2");
        var spec = await _host.OwnedByAsync("alice", "other", disk) with { KernelId = kernel, RamdiskId = ramdisk };
        return (spec, files);
    }

    private async Task<string> UploadAsync(string file, string format)
    {
        var container = format == "qcow2" ? "bare" : format;
        var id = await _glance.CreateAsync(_token, new { name = Path.GetFileName(file), disk_format = format, container_format = container });
        await _glance.UploadAsync(_token, id, await File.ReadAllBytesAsync(file));
        return id;
    }

    /// <summary>
    /// The real fetcher, each download held until <c>parts</c> downloads have started: fetched one after the other, the
    /// first would wait alone and the test fail (after a generous guard, never a timing assertion).
    /// </summary>
    private sealed class AllAtOnceFetcher(IImageFetcher real, int parts) : IImageFetcher
    {
        private readonly TaskCompletionSource _allStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inFlight;

        public int MostInFlight { get; private set; }

        public async Task<string> FetchAsync(string imageId, InstanceSpec owner, string destination, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _inFlight);
            MostInFlight = Math.Max(MostInFlight, now);
            if (now >= parts)
            {
                _allStarted.TrySetResult();
            }
            await _allStarted.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            return await real.FetchAsync(imageId, owner, destination, cancellationToken);
        }

        public Task<string> DescribeAsync(string imageId, InstanceSpec owner, CancellationToken cancellationToken) => real.DescribeAsync(imageId, owner, cancellationToken);
    }
}
