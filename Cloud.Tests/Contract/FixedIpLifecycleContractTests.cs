using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Db;
using Cloud.Modules.Network;
using Cloud.Modules.Network.Db;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>
/// A fixed IP's life after allocation, on each engine: reserved addresses are never handed out, a deallocated address
/// stays with its instance while dnsmasq holds its lease and returns on "del" or after the disassociate timeout.
/// </summary>
[TestFixture(typeof(SqliteHarness))]
[TestFixture(typeof(MySqlHarness), Category = "Integration")]
public sealed class FixedIpLifecycleContractTests<THarness> where THarness : IDbHarness, new()
{
    private THarness _db = default!;
    private ManualClock _clock = null!;
    private NetworkStore _networks = null!;
    private FixedIpStore _fixedIps = null!;
    private FixedIpApi _api = null!;

    [SetUp]
    public async Task CreateNetworkAsync()
    {
        _db = Harness.New<THarness>();
        await new MigrationRunner(_db.Db, NullLogger<MigrationRunner>.Instance).SyncAsync(default);
        _clock = new ManualClock(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
        _networks = new NetworkStore(_db.Db, _clock);
        _fixedIps = new FixedIpStore(_db.Db, _clock);
        _api = new FixedIpApi(_fixedIps);
        // 10.4.0.2 to 10.4.0.6 are free; .0, .1 and .7 are reserved.
        await new NetworkApi(_networks, Options.Create(new NetworkFlags { FlatNetworkDhcpStart = "10.4.0.2" }))
            .CreateAsync("private", "10.4.0.0/29", 1, 8, "brfl0", null, null, default);
    }

    [TearDown]
    public async Task DropAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    [Test]
    public async Task A_reserved_address_is_never_handed_out_until_it_is_unreserved()
    {
        await _api.ReserveAsync("10.4.0.2", default);
        (await AllocateAsync("i-1")).Should().Be("10.4.0.3");

        await _api.UnreserveAsync("10.4.0.2", default);
        (await AllocateAsync("i-2")).Should().Be("10.4.0.2");
    }

    [Test]
    public async Task Reserving_an_address_an_instance_holds_or_no_network_has_is_refused()
    {
        await AllocateAsync("i-1");

        var held = () => _api.ReserveAsync("10.4.0.2", default);
        var unknown = () => _api.ReserveAsync("10.9.0.2", default);
        var garbage = () => _api.UnreserveAsync("10.4.0.2; DROP TABLE fixed_ips", default);

        (await held.Should().ThrowAsync<CloudException>()).Which.Message.Should().Be("Fixed IP 10.4.0.2 is in use by instance i-1; it can be reserved once it is free.");
        (await unknown.Should().ThrowAsync<CloudException>()).Which.Message.Should().Be("Fixed IP 10.9.0.2 not found: no network has it.");
        await garbage.Should().ThrowAsync<CloudException>().WithMessage("* is not an IPv4 address.");
        (await _fixedIps.FindAsync("10.4.0.2", default))!.Reserved.Should().BeFalse();
    }

    [Test]
    public async Task A_deallocated_address_returns_to_the_pool_when_dnsmasq_reports_its_lease_gone()
    {
        await AllocateAsync("i-1");
        var mac = (await _networks.OfInstanceAsync("i-1", default))!.MacAddress!;
        (await _api.LeasedAsync(mac.ToUpperInvariant(), "10.4.0.2", default)).Should().BeTrue("dnsmasq may write the MAC in either case");
        (await _api.LeasedAsync("52:54:00:00:00:01", "10.4.0.2", default)).Should().BeFalse("another MAC does not hold this address");

        await _networks.DeallocateAsync("i-1", default);
        (await AllocateAsync("i-2")).Should().Be("10.4.0.3", "the old guest may still use 10.4.0.2 while its lease runs");
        (await _api.ReleasedAsync(mac, "10.4.0.2", default)).Should().BeTrue();

        (await _fixedIps.FindAsync("10.4.0.2", default)).Should().BeEquivalentTo(new { InstanceUuid = (string?)null, MacAddress = (string?)null, Allocated = false, Leased = false });
        (await AllocateAsync("i-3")).Should().Be("10.4.0.2");
    }

    [Test]
    public async Task Lease_del_of_an_instance_still_running_only_clears_the_lease_flag()
    {
        await AllocateAsync("i-1");
        var mac = (await _networks.OfInstanceAsync("i-1", default))!.MacAddress!;
        await _api.LeasedAsync(mac, "10.4.0.2", default);

        await _api.ReleasedAsync(mac, "10.4.0.2", default);

        (await _fixedIps.FindAsync("10.4.0.2", default)).Should().BeEquivalentTo(new { InstanceUuid = "i-1", MacAddress = mac, Allocated = true, Leased = false });
    }

    [Test]
    public async Task Without_a_lease_callback_the_address_returns_after_the_disassociate_timeout_but_never_while_leased()
    {
        await AllocateAsync("i-1");
        await AllocateAsync("i-2");
        var leasedMac = (await _networks.OfInstanceAsync("i-2", default))!.MacAddress!;
        await _api.LeasedAsync(leasedMac, "10.4.0.3", default);
        await _networks.DeallocateAsync("i-1", default);
        await _networks.DeallocateAsync("i-2", default);

        _clock.Advance(TimeSpan.FromSeconds(599));
        (await _fixedIps.DisassociateStaleAsync(TimeSpan.FromSeconds(600), default)).Should().Be(0);
        _clock.Advance(TimeSpan.FromSeconds(2));
        (await _fixedIps.DisassociateStaleAsync(TimeSpan.FromSeconds(600), default)).Should().Be(1);

        (await _fixedIps.FindAsync("10.4.0.2", default))!.InstanceUuid.Should().BeNull();
        (await _fixedIps.FindAsync("10.4.0.3", default))!.InstanceUuid.Should().Be("i-2", "its lease has not ended");
    }

    private async Task<string> AllocateAsync(string instance) =>
        (await _networks.AllocateAsync(instance, instance, default))!.Value.Ip.Address;
}
