using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Cloud.Modules.Scheduler;
using Cloud.Tests.Support;
using Dapper;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>
/// The compute API, manager and scheduler over each database engine: running, listing, acting on and terminating
/// instances, validation, quotas and project isolation (fake driver, in-process bus).
/// </summary>
[TestFixture(typeof(SqliteHarness))]
[TestFixture(typeof(MySqlHarness), Category = "Integration")]
public sealed class ComputeContractTests<THarness> where THarness : IDbHarness, new()
{
    private THarness _harness = default!;
    private ComputeTestCloud _cloud = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _harness = Harness.New<THarness>();
        _cloud = await ComputeTestCloud.StartAsync(_harness.Db);
        await _cloud.AddHostAsync("c1");
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    private ComputeApi Compute => _cloud.Compute;

    private static CreateInstancesRequest Tiny(int min = 1, int max = 1) => new("ami-image", "m1.tiny", min, max);

    [Test]
    public async Task The_seed_flavors_exist_after_migration()
    {
        var flavors = await _cloud.Flavors.ListAsync(default);

        flavors.Select(f => (f.Id, f.Name, f.MemoryMb, f.Vcpus, f.RootGb)).Should().Equal(
            (1, "m1.tiny", 512, 1, 0), (2, "m1.small", 2048, 1, 20), (3, "m1.medium", 4096, 2, 40),
            (4, "m1.large", 8192, 4, 80), (5, "m1.xlarge", 16384, 8, 160));
    }

    [Test]
    public async Task Two_instances_of_one_request_share_a_reservation_and_become_active_on_a_host()
    {
        var key = await _cloud.KeyPairs.CreateAsync(_cloud.Alice, "mykey", default);
        var created = await Compute.CreateAsync(_cloud.Alice, Tiny(2, 2) with { KeyName = "mykey", DisplayName = "web", Metadata = new Dictionary<string, string> { ["role"] = "web", ["tier"] = "1" } }, default);

        var instances = await _cloud.SettledAsync(_cloud.Alice, created);

        instances.Should().HaveCount(2);
        instances.Select(i => i.ReservationId).Distinct().Should().ContainSingle().Which.Should().MatchRegex("^r-[a-z0-9]{8}$");
        instances.Select(i => i.LaunchIndex).Should().Equal(0, 1);
        instances.Select(i => i.DisplayName).Should().Equal("web-1", "web-2");
        instances.Should().OnlyContain(i => i.VmState == VmStates.Active && i.PowerState == PowerState.Running && i.Host == "c1"
            && i.KeyData == key.KeyPair.PublicKey && i.LaunchedAt != null && i.MemoryMb == 512);
        instances[0].Ec2Id.Should().MatchRegex("^i-[0-9a-f]{8}$");
        (await Compute.GetAsync(_cloud.Alice, instances[0].Ec2Id, default)).Uuid.Should().Be(instances[0].Uuid);
        (await Compute.GetSecurityGroupNamesAsync(_cloud.Alice, instances[0].Uuid, default)).Should().Equal("default");
        (await Compute.GetMetadataAsync(_cloud.Alice, instances[1].Uuid, default)).Should().BeEquivalentTo(new Dictionary<string, string> { ["role"] = "web", ["tier"] = "1" });
        var node = await _cloud.Nodes.FindAsync("c1", default);
        (node!.MemoryMbUsed, node.VcpusUsed).Should().Be((1024, 2));
    }

    [Test]
    public async Task Bad_requests_are_invalid_and_create_nothing()
    {
        await _cloud.SecurityGroups.CreateAsync(_cloud.Bob, "bobs", "", default);
        var bad = new[]
        {
            Tiny() with { Flavor = "m1.nonesuch" },
            Tiny() with { KeyName = "nokey" },
            Tiny() with { SecurityGroups = ["nogroup"] },
            Tiny() with { SecurityGroups = ["bobs"] },
            Tiny(0, 1),
            Tiny(-1, 1),
            Tiny(3, 2),
            Tiny() with { ImageRef = "" },
        };
        foreach (var request in bad)
        {
            await FluentActions.Awaiting(() => Compute.CreateAsync(_cloud.Alice, request, default))
                .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Invalid, request.ToString());
        }

        (await Compute.ListAsync(_cloud.Admin, allProjects: true, default)).Should().BeEmpty();
        await using var c = await _harness.Db.OpenAsync(default);
        (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM instance_actions")).Should().Be(0);
    }

    [Test]
    public async Task Quotas_stop_the_request_that_exceeds_them_with_novas_message()
    {
        await _cloud.Identity.SetQuotaAsync("alpha", "instances", 2, default);
        await Compute.CreateAsync(_cloud.Alice, Tiny(), default);

        await FluentActions.Awaiting(() => Compute.CreateAsync(_cloud.Alice, Tiny(2, 2), default))
            .Should().ThrowAsync<CloudException>()
            .Where(e => e.Kind == CloudErrorKind.Forbidden && e.Message == "Quota exceeded for instances: Requested 2, but already used 1 of 2 instances");
        (await Compute.CreateAsync(_cloud.Alice, Tiny(1, 5), default)).Should().HaveCount(1, "max_count is cut to what the quota leaves");

        await _cloud.Identity.SetQuotaAsync("beta", "ram", 1000, default);
        await FluentActions.Awaiting(() => Compute.CreateAsync(_cloud.Bob, Tiny(2, 2), default))
            .Should().ThrowAsync<CloudException>().WithMessage("Quota exceeded for ram: Requested 1024, but already used 0 of 1000 ram");
        (await Compute.ListAsync(_cloud.Bob, false, default)).Should().BeEmpty();
    }

    [Test]
    public async Task A_project_cannot_see_or_act_on_another_projects_instances_key_pairs_or_groups()
    {
        var mine = (await Compute.CreateAsync(_cloud.Alice, Tiny(), default))[0];
        await _cloud.SettledAsync(_cloud.Alice, [mine]);
        await _cloud.KeyPairs.CreateAsync(_cloud.Alice, "alices", default);
        await _cloud.SecurityGroups.CreateAsync(_cloud.Alice, "web", "web servers", default);

        (await Compute.ListAsync(_cloud.Bob, allProjects: true, default)).Should().BeEmpty("allProjects is for admins only");
        foreach (var act in new Func<Task>[]
        {
            () => Compute.GetAsync(_cloud.Bob, mine.Uuid, default),
            () => Compute.GetAsync(_cloud.Bob, mine.Ec2Id, default),
            () => Compute.RebootAsync(_cloud.Bob, mine.Uuid, false, default),
            () => Compute.TerminateAsync(_cloud.Bob, mine.Uuid, default),
            () => Compute.GetConsoleOutputAsync(_cloud.Bob, mine.Uuid, default),
            () => _cloud.KeyPairs.GetAsync(_cloud.Bob, "alices", default),
            () => _cloud.KeyPairs.DeleteAsync(_cloud.Bob, "alices", default),
            () => _cloud.SecurityGroups.GetAsync(_cloud.Bob, "web", default),
            () => _cloud.SecurityGroups.DeleteAsync(_cloud.Bob, "web", default),
        })
        {
            await act.Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.NotFound);
        }
        (await _cloud.KeyPairs.ListAsync(_cloud.Bob, default)).Should().BeEmpty();
        (await _cloud.SecurityGroups.ListAsync(_cloud.Bob, false, default)).Select(g => g.Name).Should().Equal("default");
        (await Compute.ListAsync(_cloud.Admin, allProjects: true, default)).Should().ContainSingle(i => i.Uuid == mine.Uuid);
        (await Compute.GetAsync(_cloud.Alice, mine.Uuid, default)).VmState.Should().Be(VmStates.Active);
    }

    [Test]
    public async Task Stop_start_reboot_console_and_terminate_go_through_the_host()
    {
        var instance = (await _cloud.SettledAsync(_cloud.Alice, await Compute.CreateAsync(_cloud.Alice, Tiny(), default)))[0];

        await Compute.StopAsync(_cloud.Alice, instance.Uuid, default);
        (await _cloud.SettledAsync(_cloud.Alice, [instance]))[0].Should().Match<Instance>(i => i.VmState == VmStates.Stopped && i.PowerState == PowerState.Shutdown);
        await FluentActions.Awaiting(() => Compute.StopAsync(_cloud.Alice, instance.Uuid, default))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Conflict);
        await Compute.StartAsync(_cloud.Alice, instance.Uuid, default);
        (await _cloud.SettledAsync(_cloud.Alice, [instance]))[0].VmState.Should().Be(VmStates.Active);
        await Compute.RebootAsync(_cloud.Alice, instance.Uuid, hard: true, default);
        (await _cloud.SettledAsync(_cloud.Alice, [instance]))[0].PowerState.Should().Be(PowerState.Running);
        (await Compute.GetConsoleOutputAsync(_cloud.Alice, instance.Ec2Id, default)).Should().Contain(instance.Name);

        await Compute.TerminateAsync(_cloud.Alice, instance.Uuid, default);
        await Poller.UntilAsync(async () => (await Compute.GetAsync(_cloud.Alice, instance.Uuid, default)).Deleted, TimeSpan.FromSeconds(30), "terminate");

        var gone = await Compute.GetAsync(_cloud.Alice, instance.Uuid, default);
        (gone.VmState, gone.TerminatedAt is not null).Should().Be((VmStates.Deleted, true));
        (await _cloud.Hosts["c1"].Driver.ListInstancesAsync(default)).Should().BeEmpty();
        (await _cloud.Nodes.FindAsync("c1", default))!.MemoryMbUsed.Should().Be(0);
    }

    [Test]
    public async Task Power_state_sync_stops_an_instance_whose_guest_powered_itself_off()
    {
        var instance = (await _cloud.SettledAsync(_cloud.Alice, await Compute.CreateAsync(_cloud.Alice, Tiny(), default)))[0];
        _cloud.Hosts["c1"].Driver.SimulateGuestState(instance.Name, PowerState.Shutdown);

        await _cloud.Hosts["c1"].Manager.RunPeriodicTasksAsync(default);

        var synced = await Compute.GetAsync(_cloud.Alice, instance.Uuid, default);
        (synced.VmState, synced.PowerState).Should().Be((VmStates.Stopped, PowerState.Shutdown));
    }

    [Test]
    public async Task A_domain_event_stops_an_instance_whose_guest_powered_itself_off_without_waiting_for_the_sync()
    {
        var instance = (await _cloud.SettledAsync(_cloud.Alice, await Compute.CreateAsync(_cloud.Alice, Tiny(), default)))[0];

        _cloud.Hosts["c1"].Driver.SimulateGuestState(instance.Name, PowerState.Crashed, notify: true);

        await Poller.UntilAsync(async () => (await Compute.GetAsync(_cloud.Alice, instance.Uuid, default)).VmState == VmStates.Stopped, TimeSpan.FromSeconds(30), "the event to stop the instance");
        (await Compute.GetAsync(_cloud.Alice, instance.Uuid, default)).PowerState.Should().Be(PowerState.Crashed);
    }

    [Test]
    public async Task An_oversized_flavor_goes_to_error_with_no_valid_host()
    {
        await _cloud.Flavors.CreateAsync(_cloud.Admin, "m1.giant", 30_000, 1, 0, null, default);

        var instance = (await _cloud.SettledAsync(_cloud.Alice, await Compute.CreateAsync(_cloud.Alice, Tiny() with { Flavor = "m1.giant" }, default)))[0];

        (instance.VmState, instance.Host).Should().Be((VmStates.Error, null));
        instance.FaultMessage.Should().StartWith("No valid host was found");
        await Compute.TerminateAsync(_cloud.Alice, instance.Uuid, default);
        (await Compute.GetAsync(_cloud.Alice, instance.Uuid, default)).Deleted.Should().BeTrue("an unplaced instance is deleted at once");
    }

    [Test]
    public async Task Terminating_an_instance_whose_host_is_down_deletes_it_locally_and_releases_the_claim()
    {
        var instance = (await _cloud.SettledAsync(_cloud.Alice, await Compute.CreateAsync(_cloud.Alice, Tiny(), default)))[0];
        _cloud.Clock.Advance(TimeSpan.FromMinutes(5));

        await Compute.TerminateAsync(_cloud.Alice, instance.Uuid, default);

        (await Compute.GetAsync(_cloud.Alice, instance.Uuid, default)).Deleted.Should().BeTrue();
        (await _cloud.Nodes.FindAsync("c1", default))!.MemoryMbUsed.Should().Be(0);
    }

    [Test]
    public async Task An_instance_still_building_on_a_host_that_stopped_reporting_goes_to_error_naming_the_host()
    {
        var instance = (await _cloud.SettledAsync(_cloud.Alice, await Compute.CreateAsync(_cloud.Alice, Tiny(), default)))[0];
        await _cloud.Store.SetStatesAsync(instance.Uuid, VmStates.Building, TaskStates.Spawning, PowerState.NoState, default);
        var scheduler = _cloud.NewScheduler();

        await scheduler.RunPeriodicTasksAsync(default);
        (await Compute.GetAsync(_cloud.Alice, instance.Uuid, default)).VmState.Should().Be(VmStates.Building, "its host is still up");

        _cloud.Clock.Advance(TimeSpan.FromMinutes(5));
        await scheduler.RunPeriodicTasksAsync(default);

        var failed = await Compute.GetAsync(_cloud.Alice, instance.Uuid, default);
        failed.VmState.Should().Be(VmStates.Error);
        failed.FaultMessage.Should().Contain("Compute host c1 stopped reporting");
        await Compute.TerminateAsync(_cloud.Alice, instance.Uuid, default);
        (await _cloud.Nodes.FindAsync("c1", default))!.MemoryMbUsed.Should().Be(0, "deleting it gives its claim back");
    }
}
