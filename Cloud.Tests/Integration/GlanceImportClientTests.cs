using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The image API v2's newer parts driven by the real Debian clients against a cloudd process running
/// <c>--roles=api,glance</c>: interoperable import (<c>glance image-create-via-import</c>,
/// <c>openstack image create --import</c>), the import task, <c>/v2/info/*</c>, hidden images, and the shipped metadefs.
/// alice (project other) is a plain member, berendt (project testing) an admin.
/// Runs once, on SQLite with the in-process bus (the all-in-one's defaults): its SQL is dialect-neutral (the dialect-specific
/// migrations run on both in MigrationUpgradeContractTests) and the image API's MariaDB path runs in GlanceClientTests;
/// a second run on MariaDB would add minutes of client start-ups to CI and nothing it could find.
/// </summary>
[TestFixture(false, Category = "Integration")]
[NonParallelizable]
public sealed class GlanceImportClientTests(bool mariaDb) : GlanceClientFixture(mariaDb)
{
    private async Task<string> StatusOnceSettledAsync(string id)
    {
        string status = "";
        await Poller.UntilAsync(async () =>
        {
            status = Field(await RunAsync(GlanceCli, "image-show", id), "status");
            return status is not ("importing" or "uploading");
        }, TimeSpan.FromSeconds(60), $"image {id} to leave importing");
        return status;
    }

    [Test]
    public async Task Glance_creates_an_image_via_import_withGlanceCli_direct_and_the_task_records_it()
    {
        var file = RandomFile("imported.raw", 2_000_000);
        var md5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(File.ReadAllBytes(file)));

        var info = await RunAsync(GlanceCli, "import-info");
        // glanceclient refuses --file when stdin is no terminal (never, under a test), so the data comes on stdin, as in a pipeline.
        var created = await RunAsync("/bin/sh", "-c", $"exec {GlanceCli} image-create-via-import --name imported --disk-format raw --container-format bare < \"$0\"", file);
        var id = Field(created, "id");
        var status = await StatusOnceSettledAsync(id);
        var shown = await RunAsync(GlanceCli, "image-show", id);
        var output = Path.Combine(Home, "imported.out");
        await RunAsync(GlanceCli, "image-download", "--file", output, id);
        var tasks = await RunAsync(GlanceCli, "image-tasks", id);

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

        await RunAsync(OpenstackCli, "image", "create", "--import", "--file", file, "--disk-format", "qcow2", "--container-format", "bare", "osc-imported");
        var id = (await RunAsync(OpenstackCli, "image", "show", "osc-imported", "-f", "value", "-c", "id")).Trim();
        var status = await StatusOnceSettledAsync(id);

        status.Should().Be("active");
    }

    [Test]
    public async Task Copy_image_into_the_one_store_is_refused_asGlanceCli_refuses_it_and_stores_info_names_that_store()
    {
        var id = Field(await RunAsync(GlanceCli, "image-create", "--name", "copy-me", "--disk-format", "raw", "--container-format", "bare",
            "--file", RandomFile("copy.raw", 10_000)), "id");

        var stores = await RunAsync(GlanceCli, "stores-info");
        var asMember = await TryAsAsync(false, GlanceCli, "image-import", "--import-method", "copy-image", "--stores", "file", id);
        var asAdmin = await TryAsAsync(true, GlanceCli, "image-import", "--import-method", "copy-image", "--stores", "file", id);

        stores.Should().Contain("file");
        asMember.ExitCode.Should().NotBe(0);
        asMember.Stderr.Should().Contain("copy_image");
        asAdmin.ExitCode.Should().NotBe(0);
        asAdmin.Stderr.Should().Contain("Image is already present at store 'file'");
    }

    [Test]
    public async Task A_hidden_image_leaves_the_default_list_and_shows_with_hidden()
    {
        await RunAsync(OpenstackCli, "image", "create", "--disk-format", "raw", "--container-format", "bare", "hide-me");
        await RunAsync(OpenstackCli, "image", "set", "--hidden", "hide-me");

        var plain = await RunAsync(OpenstackCli, "image", "list", "-f", "value", "-c", "Name");
        var hidden = await RunAsync(OpenstackCli, "image", "list", "--hidden", "-f", "value", "-c", "Name");
        var id = (await RunAsync(OpenstackCli, "image", "show", "hide-me", "-f", "value", "-c", "id")).Trim();
        var shown = await RunAsync(GlanceCli, "image-show", id);

        plain.Should().NotContain("hide-me");
        hidden.Should().Contain("hide-me");
        Field(shown, "os_hidden").Should().Be("True");
    }

    [Test]
    public async Task Glance_lists_and_shows_the_shipped_metadata_definitions()
    {
        var namespaces = await RunAsync(GlanceCli, "md-namespace-list");
        var forImages = await RunAsync(GlanceCli, "md-namespace-list", "--resource-types", "OS::Glance::Image");
        var shown = await RunAsync(GlanceCli, "md-namespace-show", "OS::Compute::CPUPinning");
        var types = await RunAsync(GlanceCli, "md-resource-type-list");
        var properties = await RunAsync(GlanceCli, "md-property-list", "OS::Compute::CPUPinning");
        var objects = await RunAsync(GlanceCli, "md-object-list", "OS::Software::WebServers");
        var denied = await TryAsAsync(false, GlanceCli, "md-namespace-create", "My::Namespace");

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
