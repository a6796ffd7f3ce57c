using System.Buffers.Binary;
using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Drivers.Libvirt;
using Cloud.Modules.Kernel.DiskImages;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The image inspector on images made by the real qemu-img (nova's test_format_inspector cases): what glance declares
/// must be what the bytes are, and no image may name another file on the host or declare a disk the flavor cannot hold.
/// </summary>
[Category("Integration")]
[TestFixture]
public sealed class ImageInspectorTests
{
    private TempDir _dir = null!;
    private string _qemuImg = "";

    [SetUp]
    public void SetUp()
    {
        _qemuImg = ExternalTool.Require("qemu-img", "qemu-utils");
        ExternalTool.Require("prlimit", "util-linux");
        _dir = new TempDir();
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public async Task A_plain_qcow2_declared_qcow2_is_accepted_with_its_virtual_size()
    {
        var image = await CreateAsync("plain.qcow2", "-f", "qcow2", "{0}", "1G");

        var inspected = await ImageInspector.InspectAsync("img-1", image, "qcow2", default);

        inspected.Should().Be(new InspectedImage("qcow2", 1L << 30));
    }

    [Test]
    public async Task A_raw_image_declared_as_a_kernel_is_raw()
    {
        var kernel = _dir.File("vmlinuz", "MZ not really a kernel but bytes all the same");

        (await ImageInspector.InspectAsync("aki-1", kernel, "aki", default)).Format.Should().Be("raw");
    }

    [Test]
    public async Task A_qcow2_with_a_backing_file_is_refused_without_naming_the_file()
    {
        var secret = _dir.File("host-secret", new string('s', 4096));
        var image = await CreateAsync("evil.qcow2", "-f", "qcow2", "-b", secret, "-F", "raw", "{0}");

        var inspect = () => ImageInspector.InspectAsync("img-2", image, "qcow2", default);

        var refused = (await inspect.Should().ThrowAsync<ImageUnacceptableException>()).Which;
        refused.Message.Should().Be("Image img-2 is unacceptable: backing file not allowed");
        refused.Message.Should().NotContain(secret);
    }

    [Test]
    public async Task A_qcow2_with_an_external_data_file_is_refused()
    {
        var data = Path.Combine(_dir.Path, "host-data");
        var image = await CreateAsync("data.qcow2", "-f", "qcow2", "-o", $"data_file={data}", "{0}", "64M");

        var inspect = () => ImageInspector.InspectAsync("img-3", image, "qcow2", default);

        await inspect.Should().ThrowAsync<ImageUnacceptableException>().WithMessage("Image img-3 is unacceptable: external data file not allowed");
    }

    [Test]
    public async Task A_qcow2_declared_raw_is_a_format_mismatch()
    {
        var image = await CreateAsync("sneaky.raw", "-f", "qcow2", "{0}", "1G");

        var inspect = () => ImageInspector.InspectAsync("img-4", image, "raw", default);

        await inspect.Should().ThrowAsync<ImageUnacceptableException>().WithMessage("Image img-4 is unacceptable: format mismatch: declared raw, data is qcow2");
    }

    [Test]
    public async Task Raw_bytes_declared_qcow2_are_a_format_mismatch()
    {
        var image = _dir.File("plain.raw", new string('\0', 65536));

        var inspect = () => ImageInspector.InspectAsync("img-5", image, "qcow2", default);

        await inspect.Should().ThrowAsync<ImageUnacceptableException>().WithMessage("Image img-5 is unacceptable: format mismatch: declared qcow2, data is raw");
    }

    [Test]
    public async Task A_vmdk_is_refused_as_raw_and_as_itself()
    {
        var image = await CreateAsync("disk.vmdk", "-f", "vmdk", "{0}", "64M");

        var asRaw = () => ImageInspector.InspectAsync("img-6", image, "raw", default);
        var asVmdk = () => ImageInspector.InspectAsync("img-6", image, "vmdk", default);

        await asRaw.Should().ThrowAsync<ImageUnacceptableException>().WithMessage("*format mismatch: declared raw, data is vmdk");
        await asVmdk.Should().ThrowAsync<ImageUnacceptableException>().WithMessage("*disk format vmdk is not supported*");
    }

    [Test]
    public async Task A_small_file_declaring_a_petabyte_does_not_fit_a_flavor()
    {
        var image = await CreateAsync("huge.qcow2", "-f", "qcow2", "{0}", "1P");
        new FileInfo(image).Length.Should().BeLessThan(1 << 25, "a petabyte fits in a few MiB of qcow2");

        var inspected = await ImageInspector.InspectAsync("img-7", image, "qcow2", default);
        var fit = () => ImageInspector.CheckFits("img-7", inspected.VirtualSize, 1L << 30, "flavor's root disk");

        fit.Should().Throw<ImageUnacceptableException>()
            .WithMessage("Image img-7 is unacceptable: its virtual size of 1048576 GiB is more than the flavor's root disk of 1 GiB");
        ImageInspector.CheckFits("img-7", 1L << 30, 1L << 30, "flavor's root disk");
    }

    [Test]
    public void A_truncated_qcow2_header_is_taken_as_naming_other_files()
    {
        var header = DiskImageHeader.Parse([(byte)'Q', (byte)'F', (byte)'I', 0xfb, 0, 0, 0, 3]);

        header.Should().Be(new DiskImageHeader("qcow2", HasBackingFile: true, HasDataFile: true));
    }

    [Test]
    public void Qcow2_header_fields_for_backing_file_and_data_file_are_read()
    {
        var bytes = new byte[DiskImageHeader.ProbeLength];
        new byte[] { (byte)'Q', (byte)'F', (byte)'I', 0xfb }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), 3);

        DiskImageHeader.Parse(bytes).Should().Be(new DiskImageHeader("qcow2"));
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(72), 1UL << 2);
        DiskImageHeader.Parse(bytes).HasDataFile.Should().BeTrue();
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), 512);
        DiskImageHeader.Parse(bytes).HasBackingFile.Should().BeTrue();
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), 1);
        DiskImageHeader.Parse(bytes).Format.Should().Be("qcow", "qcow version 1 is another format");
    }

    [Test]
    public void What_qemu_img_says_is_checked_too()
    {
        var backed = QemuImgInfo.Parse("""{"format": "qcow2", "virtual-size": 1024, "backing-filename": "/dev/sda"}""");
        var dataFile = QemuImgInfo.Parse("""{"format": "qcow2", "virtual-size": 1024, "format-specific": {"type": "qcow2", "data": {"data-file": "/etc/shadow"}}}""");

        FluentActions.Invoking(() => ImageInspector.Check("i", "qcow2", "qcow2", backed)).Should().Throw<ImageUnacceptableException>().WithMessage("*backing file not allowed");
        FluentActions.Invoking(() => ImageInspector.Check("i", "qcow2", "qcow2", dataFile)).Should().Throw<ImageUnacceptableException>().WithMessage("*external data file not allowed");
        FluentActions.Invoking(() => ImageInspector.Check("i", "raw", "raw", backed)).Should().Throw<ImageUnacceptableException>().WithMessage("*format mismatch: declared raw, data is qcow2");
        FluentActions.Invoking(() => QemuImgInfo.Parse("not json")).Should().Throw<FormatException>();
    }

    /// <summary>Runs qemu-img create with the arguments, <c>{0}</c> standing for the new file's path; returns the path.</summary>
    private async Task<string> CreateAsync(string name, params string[] args)
    {
        var path = Path.Combine(_dir.Path, name);
        var run = await ExternalTool.RunAsync(_qemuImg, ["create", .. args.Select(a => a == "{0}" ? path : a)], _dir.Path);
        run.ExitCode.Should().Be(0, run.ToString());
        return path;
    }
}
