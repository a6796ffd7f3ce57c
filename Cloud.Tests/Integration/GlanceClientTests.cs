using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The image API v2 driven by the real Debian clients, <c>glance</c> (python3-glanceclient) and <c>openstack image</c>
/// (python3-openstackclient), against a cloudd process running <c>--roles=api,glance</c> on SQLite and on MariaDB.
/// </summary>
[TestFixture(false, Category = "Integration")]
[TestFixture(true, Category = "Integration")]
[NonParallelizable]
public sealed class GlanceClientTests(bool mariaDb) : GlanceClientFixture(mariaDb)
{
    [Test]
    public async Task Glance_uploads_lists_shows_and_downloads_an_image_byte_for_byte()
    {
        var file = RandomFile("kernel", 3_000_000);
        var md5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(File.ReadAllBytes(file)));

        var created = await RunAsync(GlanceCli, "image-create", "--name", "k", "--disk-format", "aki", "--container-format", "aki", "--file", file);
        var id = Field(created, "id");
        var list = await RunAsync(GlanceCli, "image-list");
        var shown = await RunAsync(GlanceCli, "image-show", id);
        var output = Path.Combine(Home, "kernel.out");
        await RunAsync(GlanceCli, "image-download", "--file", output, id);

        Field(created, "status").Should().Be("active");
        Field(created, "checksum").Should().Be(md5);
        list.Should().Contain(id).And.Contain(" k ");
        Field(shown, "size").Should().Be("3000000");
        Field(shown, "os_hash_algo").Should().Be("sha512");
        File.ReadAllBytes(output).Should().Equal(File.ReadAllBytes(file));
    }

    [Test]
    public async Task The_seeds_kernel_ramdisk_and_machine_image_are_linked_by_properties_then_updated_and_deleted()
    {
        var kernel = Field(await RunAsync(GlanceCli, "image-create", "--name", "seed-kernel", "--disk-format", "aki", "--container-format", "aki", "--file", RandomFile("vmlinuz", 40_000)), "id");
        var ramdisk = Field(await RunAsync(GlanceCli, "image-create", "--name", "seed-ramdisk", "--disk-format", "ari", "--container-format", "ari", "--file", RandomFile("initrd", 20_000)), "id");
        var machine = Field(await RunAsync(GlanceCli, "image-create", "--name", "seed-machine", "--disk-format", "ami", "--container-format", "ami",
            "--property", $"kernel_id={kernel}", "--property", $"ramdisk_id={ramdisk}", "--file", RandomFile("machine", 100_000)), "id");

        var updated = await RunAsync(GlanceCli, "image-update", "--property", "kernel_id=" + ramdisk, "--property", "architecture=x86_64", machine);
        Field(updated, "kernel_id").Should().Be(ramdisk);
        Field(updated, "ramdisk_id").Should().Be(ramdisk);
        Field(updated, "architecture").Should().Be("x86_64");

        foreach (var id in new[] { machine, ramdisk, kernel })
        {
            await RunAsync(GlanceCli, "image-delete", id);
        }
        var list = await RunAsync(GlanceCli, "image-list");
        list.Should().NotContain(kernel).And.NotContain(ramdisk).And.NotContain(machine);
        Directory.GetFiles(Path.Combine(Cloud.StatePath, "images")).Select(Path.GetFileName).Should().NotContain([kernel, ramdisk, machine]);
    }

    [Test]
    public async Task Openstack_image_create_list_show_save_and_delete_work_by_name()
    {
        var file = RandomFile("disk.qcow2", 1_500_000);

        var created = await RunAsync(OpenstackCli, "image", "create", "--file", file, "--disk-format", "qcow2", "--container-format", "bare", "osc-image", "-f", "value", "-c", "name");
        var list = await RunAsync(OpenstackCli, "image", "list", "-f", "value", "-c", "Name", "-c", "Status");
        var shown = await RunAsync(OpenstackCli, "image", "show", "osc-image", "-f", "value", "-c", "status", "-c", "size", "-c", "disk_format");
        var saved = Path.Combine(Home, "saved.qcow2");
        await RunAsync(OpenstackCli, "image", "save", "osc-image", "--file", saved);
        await RunAsync(OpenstackCli, "image", "delete", "osc-image");
        var after = await RunAsync(OpenstackCli, "image", "list", "-f", "value", "-c", "Name");

        created.Trim().Should().Be("osc-image");
        list.Should().Contain("osc-image active");
        shown.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("qcow2", "1500000", "active");
        File.ReadAllBytes(saved).Should().Equal(File.ReadAllBytes(file));
        after.Should().NotContain("osc-image");
    }

    [Test]
    public async Task Showing_an_unknown_image_fails_with_404()
    {
        var byName = await TryAsAsync(false, OpenstackCli, "image", "show", "no-such-image");
        var byId = await TryAsAsync(false, GlanceCli, "image-show", Guid.NewGuid().ToString());

        byName.ExitCode.Should().NotBe(0);
        byName.Stderr.Should().Contain("No Image found for no-such-image");
        byId.ExitCode.Should().NotBe(0);
        byId.Stderr.Should().Contain("No image found with ID");
    }
}
