using System.Net;
using System.Text;
using System.Text.Json;
using Cloud.Modules.Api.Metadata;
using Cloud.Modules.Compute;
using Cloud.Modules.Network;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Api;

/// <summary>The metadata trees one guest sees, rendered as nova renders them.</summary>
public sealed class MetadataTreeTests
{
    private const string Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk alice@laptop";

    private static GuestFacts Facts(string? userData = "IyEvYmluL3NoCmVjaG8gaGk=", string? keyName = "mykey", string? kernel = "0a1b2c3d-0000-4000-8000-000000000001")
    {
        var instance = new Instance
        {
            Id = 42, Uuid = "7f9d3c1e-2b4a-4c5d-8e6f-0123456789ab", DisplayName = "Web Server", ProjectId = "p1", UserId = "u1",
            ImageRef = "c0ffee00-1111-4222-8333-444455556666", KernelId = kernel, RamdiskId = kernel is null ? null : "dd00ee11-0000-4000-8000-000000000002",
            KeyName = keyName, KeyData = keyName is null ? null : Key, UserData = userData, ReservationId = "r-abc12345", LaunchIndex = 1,
        };
        var guest = new Guest(instance,
            new InstanceNetwork("br100", null, "10.0.0.3", "52:54:00:12:34:56", "10.0.0.0/24", "255.255.255.0", "10.0.0.1", "10.0.0.255", "10.0.0.1"),
            "net-1", "m1.tiny", new Dictionary<string, string> { ["role"] = "web" }, ["default", "web"]);
        return new GuestFacts(guest, InstanceHostname.Qualified(instance, "novalocal"));
    }

    private static string Get(GuestFacts guest, string path)
    {
        var (segments, status) = MetadataTree.Parse(path);
        status.Should().Be(200);
        var node = MetadataTree.Find(guest, segments);
        node.Should().NotBeNull(path);
        return Encoding.UTF8.GetString(node!.Render());
    }

    private static MetadataNode? Node(GuestFacts guest, string path) => MetadataTree.Find(guest, MetadataTree.Parse(path).Segments);

    [Test]
    public void The_latest_meta_data_lists_every_key_sorted_with_directories_ending_in_a_slash()
    {
        Get(Facts(), "/latest/meta-data/").Split('\n').Should().Equal(
            "ami-id", "ami-launch-index", "ami-manifest-path", "block-device-mapping/", "hostname", "instance-action", "instance-id",
            "instance-type", "kernel-id", "local-hostname", "local-ipv4", "placement/", "public-hostname", "public-ipv4", "public-keys/",
            "ramdisk-id", "reservation-id", "security-groups");
    }

    [Test]
    public void The_ec2_keys_describe_the_guest()
    {
        var guest = Facts();
        Get(guest, "/latest/meta-data/instance-id").Should().Be("i-0000002a");
        Get(guest, "/latest/meta-data/ami-id").Should().Be("ami-c0ffee00");
        Get(guest, "/latest/meta-data/kernel-id").Should().Be("aki-0a1b2c3d");
        Get(guest, "/latest/meta-data/ramdisk-id").Should().Be("ari-dd00ee11");
        Get(guest, "/latest/meta-data/ami-launch-index").Should().Be("1");
        Get(guest, "/latest/meta-data/hostname").Should().Be("web-server.novalocal");
        Get(guest, "/latest/meta-data/local-hostname").Should().Be("web-server.novalocal");
        Get(guest, "/latest/meta-data/local-ipv4").Should().Be("10.0.0.3");
        Get(guest, "/latest/meta-data/public-ipv4").Should().BeEmpty();
        Get(guest, "/latest/meta-data/instance-type").Should().Be("m1.tiny");
        Get(guest, "/latest/meta-data/reservation-id").Should().Be("r-abc12345");
        Get(guest, "/latest/meta-data/security-groups").Should().Be("default\nweb");
        Get(guest, "/latest/meta-data/placement/").Should().Be("availability-zone");
        Get(guest, "/latest/meta-data/placement/availability-zone").Should().Be("nova");
        Get(guest, "/latest/meta-data/block-device-mapping/").Should().Be("ami\nroot");
        Get(guest, "/latest/meta-data/block-device-mapping/root").Should().Be("/dev/vda");
        Get(guest, "/latest/meta-data/instance-action").Should().Be("none");
        Get(guest, "/ec2/latest/meta-data/instance-id").Should().Be("i-0000002a", "/ec2 is the same tree, as in nova");
        Get(guest, "//latest//meta-data/instance-id/").Should().Be("i-0000002a", "empty segments and a trailing slash do not matter");
    }

    [Test]
    public void The_public_key_is_rendered_as_nova_does()
    {
        var guest = Facts();
        Get(guest, "/latest/meta-data/public-keys/").Should().Be("0=mykey");
        Get(guest, "/latest/meta-data/public-keys/0/").Should().Be("openssh-key");
        Get(guest, "/latest/meta-data/public-keys/0/openssh-key").Should().Be(Key + "\n");
        Node(Facts(keyName: null), "/latest/meta-data/public-keys/").Should().BeNull();
        Get(Facts(keyName: null), "/latest/meta-data/").Should().NotContain("public-keys");
    }

    [Test]
    public void Older_versions_lack_the_keys_added_after_them()
    {
        Get(Facts(), "/1.0/meta-data/").Split('\n').Should().Equal(
            "ami-id", "ami-launch-index", "ami-manifest-path", "hostname", "instance-id", "local-ipv4", "public-keys/", "reservation-id", "security-groups");
        Get(Facts(), "/2009-04-04/meta-data/").Should().Be(Get(Facts(), "/latest/meta-data/"));
        Node(Facts(), "/2010-01-01/meta-data/").Should().BeNull();
        Node(Facts(kernel: null), "/latest/meta-data/kernel-id").Should().BeNull();
    }

    [Test]
    public void User_data_is_served_decoded_and_missing_user_data_is_not_found()
    {
        Get(Facts(), "/latest/").Should().Be("meta-data/\nuser-data");
        Get(Facts(), "/latest/user-data").Should().Be("#!/bin/sh\necho hi");
        Get(Facts(), "/openstack/latest/user_data").Should().Be("#!/bin/sh\necho hi");
        Get(Facts(userData: null), "/latest/").Should().Be("meta-data/");
        Node(Facts(userData: null), "/latest/user-data").Should().BeNull();
        Node(Facts(userData: null), "/openstack/latest/user_data").Should().BeNull();
    }

    [Test]
    public void The_version_lists_are_novas()
    {
        MetadataTree.IsRoot(MetadataTree.Parse("/").Segments).Should().BeTrue();
        Encoding.UTF8.GetString(MetadataTree.Root.Render()).Should().Be(
            "1.0\n2007-01-19\n2007-03-01\n2007-08-29\n2007-10-10\n2007-12-15\n2008-02-01\n2008-09-01\n2009-04-04\nlatest");
        Get(Facts(), "/openstack").Should().StartWith("2012-08-10\n2013-04-04\n2013-10-17\n2015-10-15\n").And.EndWith("\nlatest");
        Get(Facts(), "/openstack/latest/").Should().Be("meta_data.json\nnetwork_data.json\nuser_data\nvendor_data.json");
        Get(Facts(), "/openstack/2012-08-10").Should().Be("meta_data.json\nuser_data");
        Node(Facts(), "/openstack/2011-01-01/meta_data.json").Should().BeNull();
    }

    [Test]
    public void Meta_data_json_carries_the_identity_keys_and_metadata()
    {
        var node = Node(Facts(), "/openstack/latest/meta_data.json")!;
        node.ContentType.Should().Be("application/json");
        var json = JsonDocument.Parse(node.Render()).RootElement;
        json.GetProperty("uuid").GetString().Should().Be("7f9d3c1e-2b4a-4c5d-8e6f-0123456789ab");
        json.GetProperty("name").GetString().Should().Be("Web Server");
        json.GetProperty("hostname").GetString().Should().Be("web-server.novalocal");
        json.GetProperty("launch_index").GetInt64().Should().Be(1);
        json.GetProperty("availability_zone").GetString().Should().Be("nova");
        json.GetProperty("project_id").GetString().Should().Be("p1");
        json.GetProperty("public_keys").GetProperty("mykey").GetString().Should().Be(Key);
        json.GetProperty("keys")[0].GetProperty("type").GetString().Should().Be("ssh");
        json.GetProperty("keys")[0].GetProperty("data").GetString().Should().Be(Key);
        json.GetProperty("meta").GetProperty("role").GetString().Should().Be("web");
        json.GetProperty("devices").GetArrayLength().Should().Be(0);
        JsonDocument.Parse(Node(Facts(), "/openstack/2012-08-10/meta_data.json")!.Render()).RootElement
            .TryGetProperty("project_id", out _).Should().BeFalse("project_id came with Liberty");
        Get(Facts(), "/openstack/latest/vendor_data.json").Should().Be("{}");
    }

    [Test]
    public void Network_data_json_describes_the_fixed_ip_on_its_network()
    {
        var json = JsonDocument.Parse(Node(Facts(), "/openstack/latest/network_data.json")!.Render()).RootElement;
        json.GetProperty("links")[0].GetProperty("ethernet_mac_address").GetString().Should().Be("52:54:00:12:34:56");
        var network = json.GetProperty("networks")[0];
        network.GetProperty("type").GetString().Should().Be("ipv4");
        network.GetProperty("ip_address").GetString().Should().Be("10.0.0.3");
        network.GetProperty("netmask").GetString().Should().Be("255.255.255.0");
        network.GetProperty("routes")[0].GetProperty("gateway").GetString().Should().Be("10.0.0.1");
        network.GetProperty("link").GetString().Should().Be(json.GetProperty("links")[0].GetProperty("id").GetString());
        json.GetProperty("services")[0].GetProperty("address").GetString().Should().Be("10.0.0.1");
    }

    [TestCase("/latest/meta-data/instance-id/more")]
    [TestCase("/latest/meta-data/nothing")]
    [TestCase("/latest/meta-data/public-keys/1/openssh-key")]
    [TestCase("/openstack/latest/password")]
    [TestCase("/latest/user-data/x")]
    public void Paths_outside_the_tree_are_not_found(string path) => Node(Facts(), path).Should().BeNull();

    [Test]
    public void Hostile_paths_are_refused_before_any_lookup()
    {
        MetadataTree.Parse("/latest/../../etc/passwd").Status.Should().Be(404);
        MetadataTree.Parse("/latest/./meta-data").Status.Should().Be(404);
        MetadataTree.Parse("/latest/meta-data\0/instance-id").Status.Should().Be(400);
        MetadataTree.Parse("/" + new string('a', 5000)).Status.Should().Be(400);
    }

    [Test]
    public void The_guest_is_the_peer_unless_a_trusted_proxy_forwards_for_it()
    {
        var peer = IPAddress.Parse("10.0.0.3");
        MetadataRoutes.GuestAddressOf(peer, "10.0.0.2", useForwardedFor: false).Should().Be(peer);
        MetadataRoutes.GuestAddressOf(peer, "10.0.0.9, 10.0.0.2", useForwardedFor: true).Should().Be(IPAddress.Parse("10.0.0.2"), "the proxy appends the address it saw");
        MetadataRoutes.GuestAddressOf(peer, "not-an-address", useForwardedFor: true).Should().BeNull();
        MetadataRoutes.GuestAddressOf(peer, null, useForwardedFor: true).Should().Be(peer);
        MetadataRoutes.GuestAddressOf(IPAddress.Parse("::ffff:10.0.0.3"), null, useForwardedFor: false)!.ToString().Should().Be("10.0.0.3");
    }
}
