using Cloud.Modules.Compute;
using Cloud.Modules.Scheduler;
using Cloud.Modules.Scheduler.Filters;
using Cloud.Modules.Scheduler.Weighers;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Scheduler;

/// <summary>The scheduler's filters, weighers and per-request placement, on hosts made up in memory.</summary>
public sealed class FilterSchedulerTests
{
    private static readonly AllocationRatios OneToOne = new(1, 1, 1);

    private static HostState Host(string name, long ramMb = 8192, long vcpus = 8, long diskGb = 100, long ramUsed = 0,
        bool up = true, bool disabled = false, string zone = "nova", string hypervisor = "fake") =>
        new(new ComputeNode { Host = name, MemoryMb = ramMb, Vcpus = vcpus, LocalGb = diskGb, MemoryMbUsed = ramUsed, HypervisorType = hypervisor },
            zone, up, disabled, OneToOne);

    private static RequestSpec Spec(long ramMb = 512, long vcpus = 1, long diskGb = 0, string? zone = null, Dictionary<string, string>? image = null) =>
        new(ramMb, vcpus, diskGb, zone, image);

    private static FilterScheduler Default(double ramWeight = 1.0) =>
        SchedulerModule.DriverFor(new SchedulerFlags { RamWeightMultiplier = ramWeight }) as FilterScheduler ?? throw new InvalidOperationException();

    [Test]
    public void Compute_filter_passes_only_live_enabled_hosts()
    {
        var filter = new ComputeFilter();
        filter.HostPasses(Host("a"), Spec()).Should().BeTrue();
        filter.HostPasses(Host("b", up: false), Spec()).Should().BeFalse();
        filter.HostPasses(Host("c", disabled: true), Spec()).Should().BeFalse();
    }

    [Test]
    public void Resource_filters_compare_the_request_with_free_capacity_under_the_ratios()
    {
        new RamFilter().HostPasses(Host("a", ramMb: 1024, ramUsed: 512), Spec(ramMb: 512)).Should().BeTrue();
        new RamFilter().HostPasses(Host("a", ramMb: 1024, ramUsed: 513), Spec(ramMb: 512)).Should().BeFalse();
        new CoreFilter().HostPasses(Host("a", vcpus: 2), Spec(vcpus: 3)).Should().BeFalse();
        new DiskFilter().HostPasses(Host("a", diskGb: 20), Spec(diskGb: 20)).Should().BeTrue();
        new DiskFilter().HostPasses(Host("a", diskGb: 20), Spec(diskGb: 40)).Should().BeFalse();
        var overcommitted = new HostState(new ComputeNode { Host = "r", MemoryMb = 1000, Vcpus = 1, LocalGb = 1 }, "nova", true, false, new AllocationRatios(16, 1.5, 1));
        new RamFilter().HostPasses(overcommitted, Spec(ramMb: 1500)).Should().BeTrue();
        new CoreFilter().HostPasses(overcommitted, Spec(vcpus: 16)).Should().BeTrue();
    }

    [Test]
    public void Zone_and_image_filters_pass_everything_when_the_request_says_nothing()
    {
        new AvailabilityZoneFilter().HostPasses(Host("a", zone: "east"), Spec()).Should().BeTrue();
        new AvailabilityZoneFilter().HostPasses(Host("a", zone: "east"), Spec(zone: "west")).Should().BeFalse();
        new ImagePropertiesFilter().HostPasses(Host("a"), Spec()).Should().BeTrue();
        new ImagePropertiesFilter().HostPasses(Host("a"), Spec(image: new() { ["architecture"] = "x86_64" })).Should().BeTrue();
        new ImagePropertiesFilter().HostPasses(Host("a", hypervisor: "QEMU"), Spec(image: new() { ["hypervisor_type"] = "qemu" })).Should().BeTrue();
        new ImagePropertiesFilter().HostPasses(Host("a", hypervisor: "fake"), Spec(image: new() { ["hypervisor_type"] = "qemu" })).Should().BeFalse();
    }

    [Test]
    public void Ram_weigher_spreads_with_a_positive_multiplier_and_stacks_with_a_negative_one()
    {
        var hosts = new[] { Host("small", ramMb: 4096), Host("big", ramMb: 16384), Host("mid", ramMb: 8192) };

        Default(1.0).Choose(hosts, Spec()).Host.Should().Be("big");
        Default(-1.0).Choose(hosts, Spec()).Host.Should().Be("small");
        new RamWeigher(2.5).Multiplier.Should().Be(2.5);
    }

    [Test]
    public void A_request_spreads_its_instances_by_free_ram_and_counts_what_it_consumed()
    {
        var hosts = new[] { Host("a", ramMb: 4096), Host("b", ramMb: 4096), Host("c", ramMb: 8192) };

        var chosen = HostPlacer.Place(Default(), hosts, Spec(ramMb: 2048), 4)!;

        chosen.Select(h => h.Host).Should().Equal("c", "c", "a", "b");
        hosts.Select(h => h.UsedRamMb).Should().Equal(2048, 2048, 4096);
    }

    [Test]
    public void A_request_that_does_not_fit_whole_is_not_placed()
    {
        static HostState[] Hosts() => [Host("a", ramMb: 4096), Host("down", ramMb: 65536, up: false)];

        HostPlacer.Place(Default(), Hosts(), Spec(ramMb: 2048), 3).Should().BeNull();
        HostPlacer.Place(new SimpleScheduler(), Hosts(), Spec(ramMb: 2048), 3).Should().BeNull();
        HostPlacer.Place(new ChanceScheduler(), Hosts(), Spec(ramMb: 2048), 2)!.Select(h => h.Host).Should().Equal("a", "a");
    }

    [Test]
    public void Simple_scheduler_picks_the_host_with_the_fewest_cores_in_use()
    {
        var busy = Host("busy");
        busy.Consume(Spec(vcpus: 4));

        new SimpleScheduler().Choose([busy, Host("idle")], Spec()).Host.Should().Be("idle");
    }

    [Test]
    public void Unknown_policies_and_filters_are_flag_errors()
    {
        FluentActions.Invoking(() => SchedulerModule.DriverFor(new SchedulerFlags { SchedulerDriver = "random" }))
            .Should().Throw<Cloud.Modules.Kernel.Flags.FlagException>().WithMessage("*--scheduler_driver=random*");
        FluentActions.Invoking(() => SchedulerModule.DriverFor(new SchedulerFlags { DefaultFilters = "RamFilter,NopeFilter" }))
            .Should().Throw<Cloud.Modules.Kernel.Flags.FlagException>().WithMessage("*NopeFilter*");
        SchedulerModule.DriverFor(new SchedulerFlags { SchedulerDriver = "chance" }).Should().BeOfType<ChanceScheduler>();
    }
}
