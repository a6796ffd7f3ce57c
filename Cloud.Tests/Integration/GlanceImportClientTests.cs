using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The image API v2's newer parts driven by the real Debian clients against a cloudd process running
/// <c>--roles=api,glance</c> on SQLite and on MariaDB: interoperable import (<c>glance image-create-via-import</c>,
/// <c>openstack image create --import</c>), the import task, <c>/v2/info/*</c>, hidden images, and the shipped metadefs.
/// alice (project other) is a plain member, berendt (project testing) an admin.
/// </summary>
[TestFixture(false, Category = "Integration")]
[TestFixture(true, Category = "Integration")]
[NonParallelizable]
public sealed class GlanceImportClientTests(bool mariaDb)
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

    private Dictionary<string, string> Rc(bool admin) => new()
    {
        ["OS_AUTH_URL"] = $"{_cloud.KeystoneUrl}/v3",
        ["OS_USERNAME"] = admin ? "berendt" : "alice",
        ["OS_PASSWORD"] = admin ? ApiCloud.AdminPassword : ApiCloud.UserPassword,
        ["OS_PROJECT_NAME"] = admin ? "testing" : "other",
        ["OS_USER_DOMAIN_NAME"] = "Default",
        ["OS_PROJECT_DOMAIN_NAME"] = "Default",
        ["OS_IDENTITY_API_VERSION"] = "3",
    };

    private async Task<string> RunAsync(string program, params string[] args) => await RunAsAsync(false, program, args);

    private async Task<string> RunAsAsync(bool admin, string program, params string[] args)
    {
        var run = await ExternalTool.RunAsync(program, args, _home.Path, environment: Rc(admin), timeout: TimeSpan.FromSeconds(90));
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

    private async Task<string> StatusOnceSettledAsync(string id)
    {
        string status = "";
        await Poller.UntilAsync(async () =>
        {
            status = Field(await RunAsync(_glance, "image-show", id), "status");
            return status is not ("importing" or "uploading");
        }, TimeSpan.FromSeconds(60), $"image {id} to leave importing");
        return status;
    }

    [Test]
    public async Task Glance_creates_an_image_via_import_with_glance_direct_and_the_task_records_it()
    {
        var file = RandomFile("imported.raw", 2_000_000);
        var md5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(File.ReadAllBytes(file)));

        var info = await RunAsync(_glance, "import-info");
        // glanceclient refuses --file when stdin is no terminal (never, under a test), so the data comes on stdin, as in a pipeline.
        var created = await RunAsync("/bin/sh", "-c", $"exec {_glance} image-create-via-import --name imported --disk-format raw --container-format bare < \"$0\"", file);
        var id = Field(created, "id");
        var status = await StatusOnceSettledAsync(id);
        var shown = await RunAsync(_glance, "image-show", id);
        var output = Path.Combine(_home.Path, "imported.out");
        await RunAsync(_glance, "image-download", "--file", output, id);
        var tasks = await RunAsync(_glance, "image-tasks", id);

        // glance wraps the table's cells, so "glance-direct" may be split over two lines.
        info.Should().Contain("direct").And.Contain("copy-image").And.NotContain("web-download");
        status.Should().Be("active");
        Field(shown, "checksum").Should().Be(md5);
        Field(shown, "size").Should().Be("2000000");
        File.ReadAllBytes(output).Should().Equal(File.ReadAllBytes(file));
        tasks.Should().Contain("success");
    }

    [Test]
    public async Task Openstack_image_create_with_import_stages_and_imports()
    {
        var file = RandomFile("osc-import.qcow2", 700_000);

        await RunAsync(_openstack, "image", "create", "--import", "--file", file, "--disk-format", "qcow2", "--container-format", "bare", "osc-imported");
        var id = (await RunAsync(_openstack, "image", "show", "osc-imported", "-f", "value", "-c", "id")).Trim();
        var status = await StatusOnceSettledAsync(id);

        status.Should().Be("active");
    }

    [Test]
    public async Task Copy_image_into_the_one_store_is_refused_as_glance_refuses_it_and_stores_info_names_that_store()
    {
        var id = Field(await RunAsync(_glance, "image-create", "--name", "copy-me", "--disk-format", "raw", "--container-format", "bare",
            "--file", RandomFile("copy.raw", 10_000)), "id");

        var stores = await RunAsync(_glance, "stores-info");
        var asMember = await ExternalTool.RunAsync(_glance, ["image-import", "--import-method", "copy-image", "--stores", "file", id], _home.Path,
            environment: Rc(false), timeout: TimeSpan.FromSeconds(60));
        var asAdmin = await ExternalTool.RunAsync(_glance, ["image-import", "--import-method", "copy-image", "--stores", "file", id], _home.Path,
            environment: Rc(true), timeout: TimeSpan.FromSeconds(60));

        stores.Should().Contain("file");
        asMember.ExitCode.Should().NotBe(0);
        asMember.Stderr.Should().Contain("copy_image");
        asAdmin.ExitCode.Should().NotBe(0);
        asAdmin.Stderr.Should().Contain("Image is already present at store 'file'");
    }

    [Test]
    public async Task A_hidden_image_leaves_the_default_list_and_shows_with_hidden()
    {
        await RunAsync(_openstack, "image", "create", "--disk-format", "raw", "--container-format", "bare", "hide-me");
        await RunAsync(_openstack, "image", "set", "--hidden", "hide-me");

        var plain = await RunAsync(_openstack, "image", "list", "-f", "value", "-c", "Name");
        var hidden = await RunAsync(_openstack, "image", "list", "--hidden", "-f", "value", "-c", "Name");
        var id = (await RunAsync(_openstack, "image", "show", "hide-me", "-f", "value", "-c", "id")).Trim();
        var shown = await RunAsync(_glance, "image-show", id);

        plain.Should().NotContain("hide-me");
        hidden.Should().Contain("hide-me");
        Field(shown, "os_hidden").Should().Be("True");
    }

    [Test]
    public async Task Glance_lists_and_shows_the_shipped_metadata_definitions()
    {
        var namespaces = await RunAsync(_glance, "md-namespace-list");
        var forImages = await RunAsync(_glance, "md-namespace-list", "--resource-types", "OS::Glance::Image");
        var shown = await RunAsync(_glance, "md-namespace-show", "OS::Compute::CPUPinning");
        var types = await RunAsync(_glance, "md-resource-type-list");
        var properties = await RunAsync(_glance, "md-property-list", "OS::Compute::CPUPinning");
        var objects = await RunAsync(_glance, "md-object-list", "OS::Software::WebServers");
        var denied = await ExternalTool.RunAsync(_glance, ["md-namespace-create", "My::Namespace"], _home.Path, environment: Rc(false), timeout: TimeSpan.FromSeconds(60));

        namespaces.Should().Contain("OS::Compute::CPUPinning").And.Contain("OS::Software::WebServers");
        forImages.Should().Contain("OS::Compute::CPUPinning").And.NotContain("OS::Compute::Quota");
        shown.Should().Contain("CPU Pinning").And.Contain("cpu_policy");
        types.Should().Contain("OS::Nova::Flavor").And.Contain("OS::Glance::Image");
        properties.Should().Contain("cpu_thread_policy");
        objects.Should().Contain("Apache HTTP Server");
        denied.ExitCode.Should().NotBe(0);
        denied.Stderr.Should().Contain("add_metadef_namespace");
    }
}
