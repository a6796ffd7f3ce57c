using Cloud.Modules.Compute;
using Cloud.Modules.Scheduler;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Scheduler;

/// <summary>Server group policies in the scheduler's placement, on hosts made up in memory (the RAM weigher prefers the emptiest host).</summary>
public sealed class ServerGroupPlacementTests
{
    private static readonly AllocationRatios OneToOne = new(1, 1, 1);

    private static readonly ISchedulerDriver Driver = SchedulerModule.DriverFor(new SchedulerFlags());

    private static List<HostState> Hosts(params (string Name, long RamMb)[] hosts) =>
        [.. hosts.Select(h => new HostState(new ComputeNode { Host = h.Name, MemoryMb = h.RamMb, Vcpus = 64, LocalGb = 1000, HypervisorType = "fake" }, "nova", true, false, OneToOne))];

    private static RequestSpec In(string policy, long maxPerHost = 1, Dictionary<string, int>? members = null) =>
        new RequestSpec(512, 1, 0, null, null) { Group = new GroupSpread(new GroupPlacement("g", policy, maxPerHost, members ?? [])) };

    private static IReadOnlyList<string>? Place(List<HostState> hosts, RequestSpec spec, int count) =>
        HostPlacer.Place(Driver, hosts, spec, count)?.Select(h => h.Host).ToList();

    [Test]
    public void Affinity_puts_every_member_on_the_host_of_the_first()
    {
        Place(Hosts(("a", 8192), ("b", 4096)), In(ServerGroupPolicies.Affinity), 3).Should().Equal("a", "a", "a");
    }

    [Test]
    public void Affinity_follows_the_members_already_placed_even_onto_the_fuller_host()
    {
        Place(Hosts(("a", 8192), ("b", 4096)), In(ServerGroupPolicies.Affinity, members: new() { ["b"] = 1 }), 2).Should().Equal("b", "b");
    }

    [Test]
    public void Affinity_finds_no_host_when_the_members_host_is_full()
    {
        var hosts = Hosts(("a", 8192), ("b", 1024));
        Place(hosts, In(ServerGroupPolicies.Affinity, members: new() { ["b"] = 1 }), 3).Should().BeNull();
        hosts.Should().OnlyContain(h => h.UsedRamMb == 0, "a request that fails gives back what it consumed");
    }

    [Test]
    public void Anti_affinity_puts_each_member_on_its_own_host_and_fails_past_the_number_of_hosts()
    {
        Place(Hosts(("a", 8192), ("b", 4096), ("c", 2048)), In(ServerGroupPolicies.AntiAffinity), 3).Should().BeEquivalentTo(["a", "b", "c"]);
        Place(Hosts(("a", 8192), ("b", 4096)), In(ServerGroupPolicies.AntiAffinity, members: new() { ["a"] = 1 }), 1).Should().Equal("b");
        Place(Hosts(("a", 8192), ("b", 4096)), In(ServerGroupPolicies.AntiAffinity), 3).Should().BeNull();
    }

    [Test]
    public void Anti_affinity_with_max_server_per_host_allows_that_many_per_host()
    {
        var placed = Place(Hosts(("a", 8192), ("b", 8192)), In(ServerGroupPolicies.AntiAffinity, maxPerHost: 2), 4);
        placed.Should().NotBeNull();
        placed!.GroupBy(h => h).Should().OnlyContain(g => g.Count() == 2);
    }

    [Test]
    public void Soft_policies_prefer_but_never_refuse()
    {
        Place(Hosts(("a", 8192), ("b", 4096)), In(ServerGroupPolicies.SoftAffinity, members: new() { ["b"] = 1 }), 2).Should().Equal("b", "b");
        Place(Hosts(("a", 8192), ("b", 4096)), In(ServerGroupPolicies.SoftAntiAffinity), 3).Should().HaveCount(3);
        Place(Hosts(("a", 2048), ("b", 8192)), In(ServerGroupPolicies.SoftAntiAffinity, members: new() { ["b"] = 1 }), 1).Should().Equal("a");
    }

    [Test]
    public void Two_requests_of_one_group_in_one_round_share_its_spread()
    {
        var hosts = Hosts(("a", 8192), ("b", 4096));
        var group = new GroupSpread(new GroupPlacement("g", ServerGroupPolicies.AntiAffinity, 1, new Dictionary<string, int>()));
        var spec = new RequestSpec(512, 1, 0, null, null) { Group = group };
        Place(hosts, spec, 1).Should().Equal("a");
        Place(hosts, spec, 1).Should().Equal("b");
        Place(hosts, spec, 1).Should().BeNull();
    }

    private static string? Move(List<HostState> hosts, string from, string policy, Dictionary<string, int> members) =>
        MoveDestinations.Place(Driver, hosts, new SelectDestination("i", 512, 1, 0, null, from), new GroupPlacement("g", policy, 1, members))?.Host;

    [Test]
    public void A_move_of_an_anti_affinity_member_avoids_the_hosts_of_the_others()
    {
        var hosts = Hosts(("a", 8192), ("b", 8192), ("c", 2048));
        Move(hosts, "a", ServerGroupPolicies.AntiAffinity, new() { ["b"] = 1 }).Should().Be("c", "b has another member, a is where it runs now");
        Move(hosts, "a", ServerGroupPolicies.AntiAffinity, new() { ["b"] = 1, ["c"] = 1 }).Should().BeNull();
    }

    [Test]
    public void A_move_of_an_affinity_member_goes_to_the_host_of_the_others_or_nowhere()
    {
        var hosts = Hosts(("a", 2048), ("b", 8192), ("c", 1024));
        Move(hosts, "b", ServerGroupPolicies.Affinity, new() { ["c"] = 1 }).Should().Be("c", "the emptier host b is where it runs now and a has no member");
        Move(hosts, "c", ServerGroupPolicies.Affinity, new() { ["c"] = 1 }).Should().BeNull("its group's host is the one it leaves");
        Move(hosts, "c", ServerGroupPolicies.Affinity, []).Should().Be("b", "alone in its group it may go anywhere");
    }
}
