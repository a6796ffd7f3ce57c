using System.Text.Json;
using Cloud.Modules.Api.OpenStack;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Api;

/// <summary>nova's request schemas per microversion and python-jsonschema's messages, as nova's 400s print them.</summary>
public sealed class NovaSchemaTests
{
    private static string Refusal(string body, int minor)
    {
        var act = () => ServerCreateBody.Parse(JsonDocument.Parse(body).RootElement, new Microversion(2, minor));
        return act.Should().Throw<CloudException>().Which.Message;
    }

    [TestCase("""{"server": {"name": "", "flavorRef": "1"}}""", 1, "Invalid input for field/attribute name. Value: . '' is too short")]
    [TestCase("""{"server": {"name": "a", "flavorRef": "1", "accessIPv4": "01.2.3.4"}}""", 1, "Invalid input for field/attribute accessIPv4. Value: 01.2.3.4. '01.2.3.4' is not a 'ipv4'")]
    [TestCase("""{"server": {"name": "a", "flavorRef": "1", "accessIPv6": "::1%eth0"}}""", 1, "Invalid input for field/attribute accessIPv6. Value: ::1%eth0. '::1%eth0' is not a 'ipv6'")]
    [TestCase("""{"server": {"name": "a", "flavorRef": "1", "metadata": {"k@": "v"}}}""", 1, "Invalid input for field/attribute metadata. Value: {'k@': 'v'}. 'k@' does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'")]
    [TestCase("""{"server": {"name": "a", "flavorRef": "1", "config_drive": "maybe"}}""", 1, "Invalid input for field/attribute config_drive. Value: maybe. 'maybe' is not one of [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no']")]
    [TestCase("""{"server": {"name": "a", "flavorRef": "1", "min_count": 0}}""", 1, "Invalid input for field/attribute min_count. Value: 0. 0 is less than the minimum of 1")]
    [TestCase("""{"server": {"name": "a", "flavorRef": "1", "description": "d"}}""", 18, "Invalid input for field/attribute server. Value: {'name': 'a', 'flavorRef': '1', 'description': 'd'}. Additional properties are not allowed ('description' was unexpected)")]
    [TestCase("""{"server": {"name": "a", "flavorRef": "1", "networks": "some"}}""", 37, "Invalid input for field/attribute networks. Value: some. 'some' is not valid under any of the given schemas")]
    [TestCase("""{"server": {"name": "a", "flavorRef": "1", "networks": "none", "tags": ["a/b"]}}""", 52, "Invalid input for field/attribute tags/0. Value: a/b. 'a/b' does not match '^[^,/]*$'")]
    [TestCase("""{"server": {"name": "a", "flavorRef": "1", "networks": "none", "hostname": "-x"}}""", 90, "Invalid input for field/attribute hostname. Value: -x. '-x' does not match '^[a-zA-Z0-9]+[a-zA-Z0-9-]*[a-zA-Z0-9]+$'")]
    [TestCase("""{"server": {"name": "a"}}""", 1, "Invalid input for field/attribute server. Value: {'name': 'a'}. 'flavorRef' is a required property")]
    [TestCase("""{"servers": {}}""", 1, "'server' is a required property")]
    public void A_bad_create_body_gets_novas_message(string body, int minor, string message) =>
        Refusal(body, minor).Should().Be(message);

    [Test]
    public void A_good_create_body_at_each_version_passes_and_keeps_what_it_carries()
    {
        var body = ServerCreateBody.Parse(JsonDocument.Parse("""
            {"server": {"name": "web", "flavorRef": 1, "imageRef": "", "networks": "auto", "description": null, "tags": ["a", "b"],
             "trusted_image_certificates": ["c1"], "hostname": "web-1", "OS-DCF:diskConfig": "AUTO", "min_count": "2"}}
            """).RootElement, new Microversion(2, 90));

        body.Tags.Should().Equal("a", "b");
        body.Hostname.Should().Be("web-1");
        body.DiskConfig.Should().Be("AUTO");
        body.NetworkUuids.Should().BeEmpty();
        body.TrustedCertificates.Should().Be("""["c1"]""");
        body.AdminPass.Should().HaveLength(12);
    }

    [TestCase("web_server.example", "web-server-example")]
    [TestCase("  -Spaces and ümlauts 日本-  ", "spaces-and-ümlauts")]
    [TestCase("***", "")]
    [TestCase("bench-17", "bench-17")]
    [TestCase("-web-0-", "web-0")]
    [TestCase("--", "")]
    [TestCase("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij123", "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij123")]
    [TestCase("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij123-x", "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij123")]
    [TestCase("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij12-x", "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij12")]
    public void A_hostname_is_the_display_name_sanitized_as_nova_does(string name, string hostname) =>
        Hostnames.FromDisplayName(name).Should().Be(hostname);

    [TestCase("building", null, false, "BUILD")]
    [TestCase("active", "rebooting_hard", false, "HARD_REBOOT")]
    [TestCase("stopped", "resize_prep", false, "RESIZE")]
    [TestCase("resized", null, false, "VERIFY_RESIZE")]
    [TestCase("paused", null, false, "PAUSED")]
    [TestCase("shelved_offloaded", null, false, "SHELVED_OFFLOADED")]
    [TestCase("active", null, true, "DELETED")]
    public void Every_vm_and_task_state_maps_to_novas_status(string vmState, string? taskState, bool deleted, string status) =>
        ServerStatus.Of(new Instance { VmState = vmState, TaskState = taskState, Deleted = deleted }).Should().Be(status);
}
