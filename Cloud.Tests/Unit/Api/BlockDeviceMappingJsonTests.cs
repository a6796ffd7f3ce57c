using System.Text.Json;
using Cloud.Modules.Api.OpenStack;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Api;

/// <summary>A server create's block device mappings, v2 and legacy, as nova takes them.</summary>
public sealed class BlockDeviceMappingJsonTests
{
    private const string Volume = "0c6f3a52-2d1e-4b7a-9f3e-5a1b2c3d4e5f";

    [Test]
    public void A_v2_volume_mapping_with_boot_index_0_is_the_root_disk()
    {
        Parse($$"""{"block_device_mapping_v2": [{"source_type": "volume", "destination_type": "volume", "uuid": "{{Volume}}", "boot_index": 0, "delete_on_termination": true}]}""")
            .Should().Equal(new BlockDeviceMapping(Volume, null, 0, true));
    }

    [Test]
    public void A_v2_data_volume_takes_its_device_name_with_or_without_dev()
    {
        Parse($$"""{"block_device_mapping_v2": [{"source_type": "volume", "destination_type": "volume", "uuid": "{{Volume}}", "boot_index": "-1", "device_name": "vdc"}]}""")
            .Should().Equal(new BlockDeviceMapping(Volume, "/dev/vdc", null, false));
        Parse($$"""{"block_device_mapping_v2": [{"source_type": "volume", "uuid": "{{Volume}}", "boot_index": null, "device_name": "/dev/vdd", "delete_on_termination": "false"}]}""")
            .Should().Equal(new BlockDeviceMapping(Volume, "/dev/vdd", null, false));
    }

    [Test]
    public void The_image_mapping_clients_send_for_imageRef_is_left_to_imageRef() =>
        Parse("""{"block_device_mapping_v2": [{"source_type": "image", "destination_type": "local", "uuid": "x", "boot_index": 0}]}""").Should().BeEmpty();

    [Test]
    public void A_legacy_mapping_on_vda_is_the_root_disk_and_others_are_data_disks()
    {
        Parse($$"""{"block_device_mapping": [{"volume_id": "{{Volume}}", "device_name": "vda", "delete_on_termination": "1"}]}""")
            .Should().Equal(new BlockDeviceMapping(Volume, null, 0, true));
        Parse($$"""{"block_device_mapping": [{"volume_id": "{{Volume}}", "device_name": "/dev/vdb"}]}""")
            .Should().Equal(new BlockDeviceMapping(Volume, "/dev/vdb", null, false));
    }

    [Test]
    public void No_mapping_is_no_volume() => Parse("""{"name": "x"}""").Should().BeEmpty();

    [TestCase("""{"block_device_mapping_v2": [], "block_device_mapping": []}""", "Using different block_device_mapping syntaxes is not allowed.")]
    [TestCase("""{"block_device_mapping_v2": {"uuid": "x"}}""", "It is not a list of objects.")]
    [TestCase("""{"block_device_mapping_v2": [{"source_type": "blank", "destination_type": "volume", "volume_size": 1}]}""", "Block Device Mapping is Invalid: source_type 'blank'")]
    [TestCase("""{"block_device_mapping_v2": [{"source_type": "volume", "destination_type": "volume"}]}""", "Block Device Mapping is Invalid: a volume mapping needs the volume's uuid.")]
    [TestCase("""{"block_device_mapping_v2": [{"source_type": "volume", "uuid": "not-a-uuid"}]}""", "'not-a-uuid' is not a 'uuid'")]
    [TestCase("""{"block_device_mapping_v2": [{"source_type": "volume", "uuid": "0c6f3a52-2d1e-4b7a-9f3e-5a1b2c3d4e5f", "boot_index": "first"}]}""", "boot_index 'first' is not an integer.")]
    [TestCase("""{"block_device_mapping_v2": [{"source_type": "volume", "uuid": "0c6f3a52-2d1e-4b7a-9f3e-5a1b2c3d4e5f", "device_name": "/dev/../x"}]}""", "Device name /dev/../x is not valid.")]
    [TestCase("""{"block_device_mapping_v2": [{"source_type": "volume", "uuid": "0c6f3a52-2d1e-4b7a-9f3e-5a1b2c3d4e5f", "delete_on_termination": "maybe"}]}""", "It is not a boolean.")]
    [TestCase("""{"block_device_mapping": [{"snapshot_id": "x", "device_name": "vdb"}]}""", "snapshot_id is not supported")]
    [TestCase("""{"block_device_mapping": [{"device_name": "vdb"}]}""", "volume_id is required.")]
    public void Bad_mappings_are_400s_with_a_message(string json, string message)
    {
        var parse = () => Parse(json);
        parse.Should().Throw<CloudException>().Which.Should().Match<CloudException>(e => e.Kind == CloudErrorKind.Invalid && e.Message.Contains(message));
    }

    private static IReadOnlyList<BlockDeviceMapping> Parse(string json) => BlockDeviceMappingJson.Parse(JsonDocument.Parse(json).RootElement);
}
