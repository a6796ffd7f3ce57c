using System.Text;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel.Db;
using Cloud.Tests.Support;
using Dapper;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The metadata service of a real cloudd (api, scheduler, compute with the fake test-double driver, glance) as guests
/// reach it: servers created through the compute API, fixed IPs 127.0.0.2/.3/.5 given to them in the network
/// role's tables (as its allocation will), and requests sent from those source addresses, by HttpClient and by
/// <c>curl --interface</c>. Each guest sees only itself; any other address gets a 404. On SQLite and on MariaDB.
/// </summary>
[TestFixture(false, Category = "Integration")]
[TestFixture(true, Category = "Integration")]
[NonParallelizable]
public sealed class MetadataServiceTests(bool mariaDb)
{
    private const string One = "127.0.0.2";
    private const string Two = "127.0.0.3";
    private const string Free = "127.0.0.4";
    private const string Doomed = "127.0.0.5";

    private ComputeApiCloud _cloud = null!;
    private IDbConnectionFactory _db = null!;
    private readonly Dictionary<string, (Instance Instance, string Key)> _guests = [];

    private string Metadata => _cloud.Cloud.MetadataUrl;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _cloud = await ComputeApiCloud.StartAsync(mariaDb);
        _db = DbConnectionFactory.FromUrl(_cloud.Cloud.SqlConnection);
        await using var c = await _db.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync("""
            INSERT INTO networks (id, label, cidr, netmask, gateway, broadcast, dns1, bridge, dhcp_start, created_at)
            VALUES ('net-metadata', 'private', '127.0.0.0/8', '255.0.0.0', '127.0.0.1', '127.255.255.255', '127.0.0.53', 'br100', '127.0.0.2', @Now)
            """, new { Now = DateTime.UtcNow });
        await c.ExecuteAsync("INSERT INTO fixed_ips (address, network_id) VALUES (@Free, 'net-metadata')", new { Free });
        await BootAsync("alice", One, "Guest One", "#!/bin/sh\necho one\n");
        await BootAsync("carol", Two, "guest_two", "two");
        await BootAsync("alice", Doomed, "doomed", null);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    /// <summary>A server with its own imported key and user data, ACTIVE, holding fixed IP <paramref name="address"/>.</summary>
    private async Task BootAsync(string user, string address, string name, string? userData)
    {
        var token = await _cloud.TokenAsync(user);
        var (key, _) = SshKeys.GenerateRsa($"{user}@{address}");
        // Before 2.92 nova's key pair names are letters, digits, spaces, '_' and '-' only: no dots.
        var keyName = $"key-{address.Replace('.', '-')}";
        (await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/os-keypairs", new { keypair = new { name = keyName, public_key = key } })).Status.Should().Be(200);
        var server = new Dictionary<string, object>
        {
            ["name"] = name, ["imageRef"] = _cloud.ImageId, ["flavorRef"] = "1", ["key_name"] = keyName,
            ["metadata"] = new Dictionary<string, string> { ["guest"] = address },
        };
        if (userData is not null)
        {
            server["user_data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(userData));
        }
        var (status, body) = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/servers", new { server });
        status.Should().Be(202, body);
        var uuid = ComputeApiCloud.Json(body).GetProperty("server").GetProperty("id").GetString()!;
        await Poller.UntilAsync(async () => (await _cloud.NovaAsync(token, HttpMethod.Get, $"/v2.1/servers/{uuid}")).Body.Contains("\"ACTIVE\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), $"{name} to be ACTIVE");
        await using var c = await _db.OpenAsync(CancellationToken.None);
        var instance = await c.QuerySingleAsync<Instance>(
            "SELECT id AS Id, uuid AS Uuid, project_id AS ProjectId, display_name AS DisplayName FROM instances WHERE uuid = @Uuid", new { Uuid = uuid });
        await c.ExecuteAsync("""
            INSERT INTO fixed_ips (address, network_id, instance_uuid, mac_address, allocated, leased)
            VALUES (@Address, 'net-metadata', @Uuid, @Mac, 1, 1)
            """, new { Address = address, Uuid = uuid, Mac = $"52:54:00:00:00:{_guests.Count + 1:x2}" });
        _guests[address] = (instance, key);
    }

    private static async Task<string> OkAsync(GuestHttp guest, string url)
    {
        var (status, body, _) = await guest.GetAsync(url);
        status.Should().Be(200, $"GET {url} from {guest.Source}: {body}");
        return body;
    }

    [TestCase(One)]
    [TestCase(Two)]
    public async Task Each_guest_reads_its_own_instance_id_key_user_data_and_address(string address)
    {
        using var guest = new GuestHttp(address);
        var (instance, key) = _guests[address];
        (await OkAsync(guest, $"{Metadata}/latest/meta-data/instance-id")).Should().Be(Ec2Ids.Instance(instance.Id));
        (await OkAsync(guest, $"{Metadata}/latest/meta-data/local-ipv4")).Should().Be(address);
        (await OkAsync(guest, $"{Metadata}/latest/meta-data/public-keys/")).Should().Be($"0=key-{address.Replace('.', '-')}");
        (await OkAsync(guest, $"{Metadata}/latest/meta-data/public-keys/0/openssh-key")).Should().Be(key + "\n");
        (await OkAsync(guest, $"{Metadata}/latest/meta-data/hostname")).Should().Be(InstanceHostname.Of(instance) + ".novalocal");
        (await OkAsync(guest, $"{Metadata}/latest/meta-data/instance-type")).Should().Be("m1.tiny");
        (await OkAsync(guest, $"{Metadata}/latest/meta-data/security-groups")).Should().Be("default");
        (await OkAsync(guest, $"{Metadata}/latest/meta-data/reservation-id")).Should().StartWith("r-");
        (await OkAsync(guest, $"{Metadata}/latest/meta-data/ami-id")).Should().StartWith("ami-" + _cloud.ImageId[..8]);
        (await OkAsync(guest, $"{Metadata}/latest/user-data")).Should().Be(address == One ? "#!/bin/sh\necho one\n" : "two");

        var json = ComputeApiCloud.Json(await OkAsync(guest, $"{Metadata}/openstack/latest/meta_data.json"));
        json.GetProperty("uuid").GetString().Should().Be(instance.Uuid);
        json.GetProperty("project_id").GetString().Should().Be(instance.ProjectId);
        json.GetProperty("public_keys").GetProperty($"key-{address.Replace('.', '-')}").GetString().Should().Be(key);
        json.GetProperty("meta").GetProperty("guest").GetString().Should().Be(address);
        var network = ComputeApiCloud.Json(await OkAsync(guest, $"{Metadata}/openstack/latest/network_data.json")).GetProperty("networks")[0];
        network.GetProperty("ip_address").GetString().Should().Be(address);
        network.GetProperty("netmask").GetString().Should().Be("255.0.0.0");

        var everything = string.Join('\n', await Task.WhenAll(
            new[] { "/latest/meta-data/public-keys/0/openssh-key", "/latest/user-data", "/openstack/latest/meta_data.json" }.Select(p => OkAsync(guest, Metadata + p))));
        foreach (var (other, (otherInstance, otherKey)) in _guests.Where(g => g.Key != address))
        {
            everything.Should().NotContain(otherInstance.Uuid, $"{address} must not learn about {other}").And.NotContain(otherKey);
        }
    }

    [Test]
    public async Task An_address_without_an_allocated_fixed_ip_gets_a_404_and_the_version_list_is_public()
    {
        foreach (var address in new[] { "127.0.0.1", Free })
        {
            using var stranger = new GuestHttp(address);
            var (status, body, type) = await stranger.GetAsync($"{Metadata}/latest/meta-data/instance-id");
            status.Should().Be(404, address);
            body.Should().StartWith("404 Not Found");
            type.Should().StartWith("text/plain");
            (await stranger.GetAsync($"{Metadata}/openstack/latest/meta_data.json")).Status.Should().Be(404);
            (await OkAsync(stranger, $"{Metadata}/")).Should().StartWith("1.0\n").And.EndWith("2009-04-04\nlatest");
        }
        _cloud.Cloud.Logs.Should().Contain("No instance has fixed IP 127.0.0.4");
    }

    [Test]
    public async Task A_forwarded_for_header_does_not_let_a_guest_pose_as_another()
    {
        using var guest = new GuestHttp(Two);
        var (status, body, _) = await guest.SendAsync(HttpMethod.Get, $"{Metadata}/latest/meta-data/instance-id",
            new Dictionary<string, string> { ["X-Forwarded-For"] = One });
        status.Should().Be(200);
        body.Should().Be(Ec2Ids.Instance(_guests[Two].Instance.Id), "--use_forwarded_for is off by default");
    }

    [Test]
    public async Task Only_get_and_head_are_served_and_unknown_paths_are_404()
    {
        using var guest = new GuestHttp(One);
        (await guest.SendAsync(HttpMethod.Post, $"{Metadata}/latest/meta-data/instance-id")).Status.Should().Be(405);
        (await guest.SendAsync(HttpMethod.Put, $"{Metadata}/openstack/latest/meta_data.json")).Status.Should().Be(405);
        (await guest.SendAsync(HttpMethod.Delete, $"{Metadata}/")).Status.Should().Be(405);
        var head = await guest.SendAsync(HttpMethod.Head, $"{Metadata}/latest/meta-data/instance-id");
        head.Status.Should().Be(200);
        head.Body.Should().BeEmpty();
        (await guest.GetAsync($"{Metadata}/latest/meta-data/no-such-key")).Status.Should().Be(404);
        (await guest.GetAsync($"{Metadata}/2001-01-01/meta-data/instance-id")).Status.Should().Be(404);
        (await guest.GetAsync($"{Metadata}/openstack/latest/password")).Status.Should().Be(404);
    }

    [TestCase("/latest/../../../etc/passwd")]
    [TestCase("/latest/meta-data/%2e%2e/%2e%2e/etc/passwd")]
    [TestCase("/latest/meta-data/instance-id%00")]
    [TestCase("/latest/meta-data/%00/../x")]
    [TestCase("/latest/meta-data/%0d%0aX-Injected:%20yes")]
    [TestCase("/latest/meta-data/%ff%fe")]
    [TestCase("/latest/meta-data/..%2f..%2fetc")]
    public async Task Hostile_paths_are_refused_with_a_4xx(string target)
    {
        using var guest = new GuestHttp(One);
        (await guest.RawStatusAsync(Metadata, target)).Should().BeInRange(400, 404, target);
        (await guest.RawStatusAsync(Metadata, "/" + new string('a', 6000))).Should().BeInRange(400, 414);
        (await OkAsync(guest, $"{Metadata}/latest/meta-data/local-ipv4")).Should().Be(One, "the service still answers");
    }

    [Test]
    public async Task Curl_from_the_guests_address_reads_its_metadata()
    {
        var curl = ExternalTool.Require("/usr/bin/curl", "curl");
        var one = await ExternalTool.RunAsync(curl, ["-sS", "--interface", One, $"{Metadata}/latest/meta-data/instance-id"], _cloud.Home);
        one.ExitCode.Should().Be(0, one.ToString());
        one.Stdout.Should().Be(Ec2Ids.Instance(_guests[One].Instance.Id));
        var two = await ExternalTool.RunAsync(curl, ["-sS", "--interface", Two, $"{Metadata}/latest/meta-data/public-keys/0/openssh-key"], _cloud.Home);
        two.Stdout.Should().Be(_guests[Two].Key + "\n");
        var stranger = await ExternalTool.RunAsync(curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--interface", "127.0.0.1", $"{Metadata}/latest/meta-data/instance-id"], _cloud.Home);
        stranger.Stdout.Should().Be("404");
    }

    [Test]
    public async Task A_terminated_instance_is_no_longer_served_at_its_old_address()
    {
        using var guest = new GuestHttp(Doomed);
        (await OkAsync(guest, $"{Metadata}/latest/meta-data/instance-id")).Should().Be(Ec2Ids.Instance(_guests[Doomed].Instance.Id));
        (await guest.GetAsync($"{Metadata}/latest/user-data")).Status.Should().Be(404, "it was booted without user data");
        (await OkAsync(guest, $"{Metadata}/latest/")).Should().Be("meta-data/");

        var token = await _cloud.TokenAsync("alice");
        (await _cloud.NovaAsync(token, HttpMethod.Delete, $"/v2.1/servers/{_guests[Doomed].Instance.Uuid}")).Status.Should().Be(204);
        // The network role will release the address; until it does, the deleted instance must not be served.
        await Poller.UntilAsync(async () => (await guest.GetAsync($"{Metadata}/latest/meta-data/instance-id")).Status == 404,
            TimeSpan.FromSeconds(60), "the deleted instance's metadata to be gone");
    }
}
