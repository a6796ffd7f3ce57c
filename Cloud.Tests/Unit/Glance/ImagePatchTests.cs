using System.Text.Json;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Kernel;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Glance;

public sealed class ImagePatchTests
{
    private static IReadOnlyList<ImagePatch> Parse(string json) => ImagePatch.ParseDocument(JsonDocument.Parse(json).RootElement);

    private static ImageDraft Apply(string json, Image? image = null)
    {
        var draft = ImageDraft.From(image ?? new Image { Properties = new Dictionary<string, string> { ["kernel_id"] = "k" } });
        foreach (var patch in Parse(json))
        {
            draft.Apply(patch);
        }
        draft.Validate();
        return draft;
    }

    [Test]
    public void Json_pointers_are_decoded_and_remove_needs_no_value()
    {
        Parse("""[{"op": "add", "path": "/a~1b~0c", "value": "v"}, {"op": "remove", "path": "/x"}]""")
            .Select(p => (p.Op, p.Attribute)).Should().Equal(("add", "a/b~c"), ("remove", "x"));
    }

    [TestCase("""{"op": "add"}""", CloudErrorKind.Invalid)]
    [TestCase("""[1]""", CloudErrorKind.Invalid)]
    [TestCase("""[{"path": "/name", "value": "x"}]""", CloudErrorKind.Invalid)]
    [TestCase("""[{"op": "test", "path": "/name", "value": "x"}]""", CloudErrorKind.Invalid)]
    [TestCase("""[{"op": "add", "path": "/a/b", "value": "x"}]""", CloudErrorKind.Invalid)]
    [TestCase("""[{"op": "add", "path": "/locations/-", "value": {"url": "file:///etc/passwd"}}]""", CloudErrorKind.Forbidden)]
    [TestCase("""[{"op": 1, "path": "/name", "value": "x"}]""", CloudErrorKind.Invalid)]
    public void Malformed_documents_are_refused(string json, CloudErrorKind kind)
    {
        FluentActions.Invoking(() => Parse(json)).Should().Throw<CloudException>().Where(e => e.Kind == kind);
    }

    [Test]
    public void Base_attributes_take_their_json_types_and_properties_take_strings()
    {
        var draft = Apply("""
            [{"op": "replace", "path": "/min_disk", "value": 20}, {"op": "replace", "path": "/protected", "value": true},
             {"op": "add", "path": "/ramdisk_id", "value": "r"}, {"op": "replace", "path": "/kernel_id", "value": "k2"},
             {"op": "replace", "path": "/os_hidden", "value": false}]
            """);

        (draft.MinDisk, draft.Protected).Should().Be((20, true));
        draft.Properties.Should().Equal(new Dictionary<string, string> { ["kernel_id"] = "k2", ["ramdisk_id"] = "r" });
    }

    [TestCase("""[{"op": "add", "path": "/ramdisk_id", "value": 5}]""", CloudErrorKind.Invalid)]
    [TestCase("""[{"op": "replace", "path": "/protected", "value": "yes"}]""", CloudErrorKind.Invalid)]
    [TestCase("""[{"op": "replace", "path": "/tags", "value": "a"}]""", CloudErrorKind.Invalid)]
    [TestCase("""[{"op": "replace", "path": "/os_hidden", "value": "yes"}]""", CloudErrorKind.Invalid)]
    [TestCase("""[{"op": "add", "path": "/os_glance_import_task", "value": "x"}]""", CloudErrorKind.Forbidden)]
    [TestCase("""[{"op": "add", "path": "/deleted", "value": "x"}]""", CloudErrorKind.Forbidden)]
    [TestCase("""[{"op": "replace", "path": "/size", "value": 1}]""", CloudErrorKind.Forbidden)]
    [TestCase("""[{"op": "remove", "path": "/visibility"}]""", CloudErrorKind.Forbidden)]
    [TestCase("""[{"op": "add", "path": "/is_public", "value": "true"}]""", CloudErrorKind.Forbidden)]
    [TestCase("""[{"op": "replace", "path": "/ramdisk_id", "value": "r"}]""", CloudErrorKind.Conflict)]
    [TestCase("""[{"op": "replace", "path": "/container_format", "value": "tar"}]""", CloudErrorKind.Invalid)]
    public void Wrong_types_read_only_and_missing_targets_are_refused(string json, CloudErrorKind kind)
    {
        FluentActions.Invoking(() => Apply(json)).Should().Throw<CloudException>().Where(e => e.Kind == kind);
    }

    [Test]
    public void A_create_request_splits_base_attributes_id_and_properties()
    {
        var (draft, id) = ImageDraft.FromCreateRequest(JsonDocument.Parse(
            """{"id": "6b0a6f1c-0b55-4b9e-9e9a-1e2f3a4b5c6d", "name": "tty", "disk_format": "ami", "min_ram": 64, "owner_specified.openstack.md5": ""}""").RootElement);

        id.Should().Be("6b0a6f1c-0b55-4b9e-9e9a-1e2f3a4b5c6d");
        (draft.Name, draft.DiskFormat, draft.MinRam).Should().Be(("tty", "ami", 64));
        draft.Properties.Should().Equal(new Dictionary<string, string> { ["owner_specified.openstack.md5"] = "" });
    }

    [Test]
    public void The_v2_0_media_type_names_the_operation_by_its_member()
    {
        var patch = ImagePatch.ParseDocument(JsonDocument.Parse("""[{"replace": "/name", "value": "n"}, {"remove": "/kernel_id"}]""").RootElement, draft4: true);

        patch.Select(p => (p.Op, p.Attribute)).Should().Equal(("replace", "name"), ("remove", "kernel_id"));
        FluentActions.Invoking(() => ImagePatch.ParseDocument(JsonDocument.Parse("""[{"add": "/a", "remove": "/b", "value": "v"}]""").RootElement, draft4: true))
            .Should().Throw<CloudException>().WithMessage("*only one member*");
    }

    [TestCase("os_glance_import_task")]
    [TestCase("location")]
    public void Reserved_properties_are_refused_on_create(string name)
    {
        FluentActions.Invoking(() => ImageDraft.FromCreateRequest(JsonDocument.Parse($$"""{"name": "x", "{{name}}": "v"}""").RootElement))
            .Should().Throw<CloudException>().Where(e => e.Kind == CloudErrorKind.Forbidden).WithMessage($"Access was denied to this resource. Attribute '{name}' is reserved.");
    }
}
