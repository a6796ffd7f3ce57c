using Cloud.Modules.Compute;
using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Db;
using Cloud.Modules.Network;
using Cloud.Modules.Network.Db;
using Cloud.Tests.Support;
using Dapper;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>Networks and fixed-IP allocation on each engine: first free address, idempotence, release, and no address handed out twice under concurrency.</summary>
[TestFixture(typeof(SqliteHarness))]
[TestFixture(typeof(MySqlHarness), Category = "Integration")]
public sealed class NetworkStoreContractTests<THarness> where THarness : IDbHarness, new()
{
    private THarness _harness = default!;
    private NetworkStore _store = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _harness = Harness.New<THarness>();
        await new MigrationRunner(_harness.Db, NullLogger<MigrationRunner>.Instance).SyncAsync(default);
        _store = new NetworkStore(_harness.Db, TimeProvider.System);
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    private Task<IReadOnlyList<NetworkRecord>> CreateAsync(string cidr, int size, string bridge = "br100", string dhcpStart = "10.0.0.2") =>
        _store.CreateAsync("private", NetworkPlan.Split(cidr, 1, size, dhcpStart), [bridge], null, null, default);

    [Test]
    public async Task Allocation_hands_out_the_first_free_address_in_numeric_order_and_is_idempotent()
    {
        await CreateAsync("10.0.0.0/24", 256, dhcpStart: "10.0.0.9");

        var first = (await _store.AllocateAsync("uuid-1", "one", default))!.Value;
        var again = (await _store.AllocateAsync("uuid-1", "one", default))!.Value;
        var second = (await _store.AllocateAsync("uuid-2", "two", default))!.Value;

        first.Ip.Address.Should().Be("10.0.0.9");
        again.Ip.Address.Should().Be("10.0.0.9");
        again.Ip.MacAddress.Should().Be(first.Ip.MacAddress);
        second.Ip.Address.Should().Be("10.0.0.10", "10.0.0.10 follows 10.0.0.9, although it sorts before it as text");
        second.Ip.MacAddress.Should().NotBe(first.Ip.MacAddress);
        var nic = first.Network.NicFor(first.Ip);
        (nic.Bridge, nic.Gateway, nic.Netmask, nic.Cidr, nic.Broadcast).Should().Be(("br100", "10.0.0.1", "255.255.255.0", "10.0.0.0/24", "10.0.0.255"));
    }

    [Test]
    public async Task Deallocation_keeps_the_address_from_the_next_instance_while_it_may_still_be_leased()
    {
        await CreateAsync("10.0.0.0/24", 256);
        await _store.AllocateAsync("uuid-1", "one", default);

        var freed = await _store.DeallocateAsync("uuid-1", default);
        var twice = await _store.DeallocateAsync("uuid-1", default);
        var next = (await _store.AllocateAsync("uuid-2", "two", default))!.Value;

        freed!.Address.Should().Be("10.0.0.2");
        twice.Should().BeNull();
        (await _store.OfInstanceAsync("uuid-1", default)).Should().BeNull();
        next.Ip.Address.Should().Be("10.0.0.3", "10.0.0.2 returns on its lease's end or the disassociate timeout (FixedIpLifecycleContractTests)");
    }

    [Test]
    public async Task Without_networks_nothing_is_allocated_and_a_full_network_says_so()
    {
        (await _store.AllocateAsync("uuid-0", "zero", default)).Should().BeNull();
        await CreateAsync("10.0.0.0/29", 8);

        for (var i = 0; i < 5; i++)
        {
            await _store.AllocateAsync($"uuid-{i}", "x", default);
        }
        var full = () => _store.AllocateAsync("uuid-6", "x", default);

        (await full.Should().ThrowAsync<CloudException>()).Which.Message.Should().Be("No fixed IP left in 10.0.0.0/29.");
        (await _store.AllocatedAsync((await _store.ListAsync(default))[0].Id, default)).Select(f => f.Address)
            .Should().Equal("10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6");
    }

    [Test]
    public async Task Concurrent_allocations_from_two_network_roles_never_share_an_address_or_a_mac()
    {
        await CreateAsync("10.0.0.0/25", 128);
        var roles = new[] { _store, new NetworkStore(_harness.Db, TimeProvider.System) };

        var allocated = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() => roles[i % 2].AllocateAsync($"uuid-{i}", $"vm{i}", default))));

        allocated.Select(a => a!.Value.Ip.Address).Should().OnlyHaveUniqueItems();
        allocated.Select(a => a!.Value.Ip.MacAddress).Should().OnlyHaveUniqueItems();
        var rows = await _store.AllocatedAsync((await _store.ListAsync(default))[0].Id, default);
        rows.Should().HaveCount(60);
        rows.Select(r => r.InstanceUuid).Should().BeEquivalentTo(Enumerable.Range(0, 60).Select(i => $"uuid-{i}"));
    }

    [Test]
    public async Task Overlaps_and_shared_bridges_are_refused_and_a_network_in_use_cannot_be_deleted()
    {
        await CreateAsync("10.0.0.0/24", 256);

        var overlap = () => CreateAsync("10.0.0.128/25", 128, "br200");
        var sameBridge = () => CreateAsync("10.9.0.0/24", 256);
        (await overlap.Should().ThrowAsync<CloudException>()).Which.Message.Should().Be("Network 10.0.0.128/25 overlaps the existing network 10.0.0.0/24 (private).");
        (await sameBridge.Should().ThrowAsync<CloudException>()).Which.Message.Should().StartWith("Bridge br100 already carries network 10.0.0.0/24");

        await _store.AllocateAsync("uuid-1", "one", default);
        var inUse = () => _store.DeleteAsync("10.0.0.0/24", default);
        (await inUse.Should().ThrowAsync<CloudException>()).Which.Kind.Should().Be(CloudErrorKind.Conflict);
        await _store.DeallocateAsync("uuid-1", default);
        await _store.DeleteAsync("10.0.0.0/24", default);
        (await _store.ListAsync(default)).Should().BeEmpty();
        await using var c = await _harness.Db.OpenAsync(default);
        (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM fixed_ips")).Should().Be(0);
    }

    [Test]
    public async Task Addresses_of_deleted_vanished_and_never_launched_failed_instances_count_as_orphaned()
    {
        await CreateAsync("10.0.0.0/24", 256);
        await InsertInstanceAsync("running", "active", deleted: false, launched: true);
        await InsertInstanceAsync("failed-after-launch", "error", deleted: false, launched: true);
        await InsertInstanceAsync("failed-at-boot", "error", deleted: false, launched: false);
        await InsertInstanceAsync("deleted", "deleted", deleted: true, launched: true);
        foreach (var uuid in new[] { "running", "failed-after-launch", "failed-at-boot", "deleted", "vanished" })
        {
            await _store.AllocateAsync(uuid, uuid, default);
        }

        var orphaned = await _store.OrphanedAsync(new InstanceDirectory(new InstanceStore(_harness.Db, TimeProvider.System)), default);

        orphaned.Select(o => o.InstanceUuid).Should().BeEquivalentTo("failed-at-boot", "deleted", "vanished");
    }

    private async Task InsertInstanceAsync(string uuid, string vmState, bool deleted, bool launched)
    {
        await using var c = await _harness.Db.OpenAsync(default);
        await c.ExecuteAsync(
            "INSERT INTO instances (uuid, display_name, project_id, user_id, image_ref, instance_type_id, memory_mb, vcpus, root_gb, reservation_id, launch_index, vm_state, deleted, launched_at, created_at, updated_at) "
            + "VALUES (@Uuid, @Uuid, 'p', 'u', 'ami-1', 1, 512, 1, 0, 'r-1', 0, @VmState, @Deleted, @LaunchedAt, @Now, @Now)",
            new { Uuid = uuid, VmState = vmState, Deleted = deleted, LaunchedAt = launched ? DateTime.UtcNow : (DateTime?)null, Now = DateTime.UtcNow });
    }
}
