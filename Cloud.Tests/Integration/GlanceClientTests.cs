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
public sealed class GlanceClientTests(bool mariaDb)
{
    private readonly TempDir _home = new();
    private MySqlHarness? _mysql;
    private ApiCloud _cloud = null!;
    private string _glance = "";
    private string _openstack = "";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _mysql = mariaDb ? new MySqlHarness() : null;
        _cloud = await ApiCloud.StartAsync(_mysql?.SqlConnection, "api,glance");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _cloud.DisposeAsync();
        if (_mysql is not null)
        {
            await _mysql.DisposeAsync();
        }
        _home.Dispose();
    }

    [SetUp]
    public void RequireClients()
    {
        _glance = ExternalTool.Require("/usr/bin/glance", "python3-glanceclient");
        _openstack = ExternalTool.Require("/usr/bin/openstack", "python3-openstackclient");
    }

    private Dictionary<string, string> Novarc => new()
    {
        ["OS_AUTH_URL"] = $"{_cloud.KeystoneUrl}/v3",
        ["OS_USERNAME"] = "alice",
        ["OS_PASSWORD"] = ApiCloud.UserPassword,
        ["OS_PROJECT_NAME"] = "other",
        ["OS_USER_DOMAIN_NAME"] = "Default",
        ["OS_PROJECT_DOMAIN_NAME"] = "Default",
        ["OS_IDENTITY_API_VERSION"] = "3",
    };

    private async Task<string> RunAsync(string program, params string[] args)
    {
        var run = await ExternalTool.RunAsync(program, args, _home.Path, environment: Novarc, timeout: TimeSpan.FromSeconds(90));
        run.ExitCode.Should().Be(0, $"{Path.GetFileName(program)} {string.Join(' ', args)} failed: {run}");
        return run.Stdout;
    }

    private string RandomFile(string name, int bytes)
    {
        var path = Path.Combine(_home.Path, name);
        File.WriteAllBytes(path, System.Security.Cryptography.RandomNumberGenerator.GetBytes(bytes));
        return path;
    }

    /// <summary>A value of glance's two-column property table.</summary>
    private static string Field(string table, string name) =>
        table.Split('\n').Select(l => l.Split('|', StringSplitOptions.TrimEntries)).First(c => c.Length > 2 && c[1] == name)[2];

    [Test]
    public async Task Glance_uploads_lists_shows_and_downloads_an_image_byte_for_byte()
    {
        var file = RandomFile("kernel", 3_000_000);
        var md5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(File.ReadAllBytes(file)));

        var created = await RunAsync(_glance, "image-create", "--name", "k", "--disk-format", "aki", "--container-format", "aki", "--file", file);
        var id = Field(created, "id");
        var list = await RunAsync(_glance, "image-list");
        var shown = await RunAsync(_glance, "image-show", id);
        var output = Path.Combine(_home.Path, "kernel.out");
        await RunAsync(_glance, "image-download", "--file", output, id);

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
        var kernel = Field(await RunAsync(_glance, "image-create", "--name", "seed-kernel", "--disk-format", "aki", "--container-format", "aki", "--file", RandomFile("vmlinuz", 40_000)), "id");
        var ramdisk = Field(await RunAsync(_glance, "image-create", "--name", "seed-ramdisk", "--disk-format", "ari", "--container-format", "ari", "--file", RandomFile("initrd", 20_000)), "id");
        var machine = Field(await RunAsync(_glance, "image-create", "--name", "seed-machine", "--disk-format", "ami", "--container-format", "ami",
            "--property", $"kernel_id={kernel}", "--property", $"ramdisk_id={ramdisk}", "--file", RandomFile("machine", 100_000)), "id");

        var updated = await RunAsync(_glance, "image-update", "--property", "kernel_id=" + ramdisk, "--property", "architecture=x86_64", machine);
        Field(updated, "kernel_id").Should().Be(ramdisk);
        Field(updated, "ramdisk_id").Should().Be(ramdisk);
        Field(updated, "architecture").Should().Be("x86_64");

        foreach (var id in new[] { machine, ramdisk, kernel })
        {
            await RunAsync(_glance, "image-delete", id);
        }
        var list = await RunAsync(_glance, "image-list");
        list.Should().NotContain(kernel).And.NotContain(ramdisk).And.NotContain(machine);
        Directory.GetFiles(Path.Combine(_cloud.StatePath, "images")).Select(Path.GetFileName).Should().NotContain([kernel, ramdisk, machine]);
    }

    [Test]
    public async Task Openstack_image_create_list_show_save_and_delete_work_by_name()
    {
        var file = RandomFile("disk.qcow2", 1_500_000);

        var created = await RunAsync(_openstack, "image", "create", "--file", file, "--disk-format", "qcow2", "--container-format", "bare", "osc-image", "-f", "value", "-c", "name");
        var list = await RunAsync(_openstack, "image", "list", "-f", "value", "-c", "Name", "-c", "Status");
        var shown = await RunAsync(_openstack, "image", "show", "osc-image", "-f", "value", "-c", "status", "-c", "size", "-c", "disk_format");
        var saved = Path.Combine(_home.Path, "saved.qcow2");
        await RunAsync(_openstack, "image", "save", "osc-image", "--file", saved);
        await RunAsync(_openstack, "image", "delete", "osc-image");
        var after = await RunAsync(_openstack, "image", "list", "-f", "value", "-c", "Name");

        created.Trim().Should().Be("osc-image");
        list.Should().Contain("osc-image active");
        shown.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("qcow2", "1500000", "active");
        File.ReadAllBytes(saved).Should().Equal(File.ReadAllBytes(file));
        after.Should().NotContain("osc-image");
    }

    [Test]
    public async Task Showing_an_unknown_image_fails_with_404()
    {
        var byName = await ExternalTool.RunAsync(_openstack, ["image", "show", "no-such-image"], _home.Path, environment: Novarc, timeout: TimeSpan.FromSeconds(60));
        var byId = await ExternalTool.RunAsync(_glance, ["image-show", Guid.NewGuid().ToString()], _home.Path, environment: Novarc, timeout: TimeSpan.FromSeconds(60));

        byName.ExitCode.Should().NotBe(0);
        byName.Stderr.Should().Contain("No Image found for no-such-image");
        byId.ExitCode.Should().NotBe(0);
        byId.Stderr.Should().Contain("No image found with ID");
    }
}
