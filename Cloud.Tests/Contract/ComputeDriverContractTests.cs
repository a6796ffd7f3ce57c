using System.Xml.Linq;
using Cloud.Modules.Compute;
using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Drivers.Libvirt;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>
/// What every compute driver does for the compute manager (nova's _VirtDriverTestCase): spawn, list, power states,
/// reboots, idempotent destroy, capacity, and errors that name an unknown instance. The fake driver is held to what
/// libvirt does, since the manager's unit tests run on it.
/// </summary>
[TestFixture(typeof(FakeComputeDriverHarness))]
[TestFixture(typeof(LibvirtComputeDriverHarness), Category = "Integration")]
[NonParallelizable]
public sealed class ComputeDriverContractTests<THarness> where THarness : IComputeDriverHarness, new()
{
    private THarness _harness = default!;

    private IComputeDriver Driver => _harness.Driver;

    [SetUp]
    public async Task StartAsync()
    {
        _harness = Harness.New<THarness>();
        await _harness.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        // Null when the set-up found a service missing (ignored on a developer's machine).
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    private async Task<InstanceSpec> SpawnBootedAsync()
    {
        var spec = _harness.NewInstance();
        await Driver.SpawnAsync(spec, default);
        await _harness.BootedAsync(spec.Name);
        return spec;
    }

    /// <summary>The running libvirt domain's file disks: target dev to file name.</summary>
    private static async Task<Dictionary<string, string?>> DisksAsync(string name) =>
        XElement.Parse(await TestLibvirt.VirshAsync("dumpxml", name)).Descendants("disk")
            .Where(d => (string?)d.Attribute("device") == "disk")
            .ToDictionary(d => (string)d.Element("target")!.Attribute("dev")!, d => Path.GetFileName((string?)d.Element("source")?.Attribute("file")));

    private async Task<PowerState?> StateOfAsync(string name) => (await Driver.GetInfoAsync(name, default))?.State;

    [Test]
    public async Task A_spawned_instance_runs_with_its_flavors_memory_and_vcpus_and_is_listed()
    {
        var spec = await SpawnBootedAsync();

        (await Driver.GetInfoAsync(spec.Name, default)).Should().Be(new InstanceInfo(spec.Name, PowerState.Running, 256, 1));
        (await Driver.ListInstancesAsync(default)).Should().Contain(spec.Name).And.BeInAscendingOrder(StringComparer.Ordinal);
        Driver.HypervisorType.Should().NotBeNullOrWhiteSpace();
    }

    [Test]
    public async Task The_host_capacity_offers_resources_and_counts_the_running_instance()
    {
        await SpawnBootedAsync();

        var capacity = await Driver.GetHostCapacityAsync(default);

        (capacity.Vcpus > 0, capacity.MemoryMb > 0, capacity.LocalGb > 0, capacity.RunningVms >= 1).Should().Be((true, true, true, true));
    }

    [Test]
    public async Task The_console_output_of_a_booted_instance_is_not_empty()
    {
        var spec = await SpawnBootedAsync();

        (await Driver.GetConsoleOutputAsync(spec.Name, default)).Should().NotBeEmpty();
    }

    [Test]
    public async Task A_powered_off_instance_stays_defined_and_powers_on_again_and_both_are_idempotent()
    {
        var spec = await SpawnBootedAsync();

        await Driver.PowerOffAsync(spec.Name, default);
        (await StateOfAsync(spec.Name)).Should().Be(PowerState.Shutdown);
        (await Driver.ListInstancesAsync(default)).Should().Contain(spec.Name, "a stopped instance stays defined");
        await Driver.PowerOffAsync(spec.Name, default);
        (await StateOfAsync(spec.Name)).Should().Be(PowerState.Shutdown);

        await Driver.PowerOnAsync(spec.Name, default);
        (await StateOfAsync(spec.Name)).Should().Be(PowerState.Running);
        await Driver.PowerOnAsync(spec.Name, default);
        (await StateOfAsync(spec.Name)).Should().Be(PowerState.Running);
    }

    [Test]
    public async Task Rebooting_a_stopped_instance_boots_it_and_reboots_keep_it_running()
    {
        var spec = await SpawnBootedAsync();
        await Driver.PowerOffAsync(spec.Name, default);

        await Driver.RebootAsync(spec.Name, hard: false, default);
        (await StateOfAsync(spec.Name)).Should().Be(PowerState.Running);
        await _harness.BootedAsync(spec.Name);
        await Driver.RebootAsync(spec.Name, hard: true, default);
        (await StateOfAsync(spec.Name)).Should().Be(PowerState.Running);
        await Driver.RebootAsync(spec.Name, hard: false, default);
        (await StateOfAsync(spec.Name)).Should().Be(PowerState.Running);
    }

    [Test]
    public async Task A_destroyed_instance_is_gone_and_destroying_it_again_or_one_never_spawned_does_nothing()
    {
        var spec = await SpawnBootedAsync();

        await Driver.DestroyAsync(spec.Name, default);

        (await Driver.GetInfoAsync(spec.Name, default)).Should().BeNull();
        (await Driver.ListInstancesAsync(default)).Should().NotContain(spec.Name);
        await Driver.DestroyAsync(spec.Name, default);
        await Driver.DestroyAsync(_harness.NewInstance().Name, default);
    }

    [Test]
    public async Task A_paused_instance_unpauses_and_a_suspended_one_resumes_running()
    {
        var spec = await SpawnBootedAsync();

        await Driver.PauseAsync(spec.Name, default);
        (await StateOfAsync(spec.Name)).Should().Be(PowerState.Paused);
        await Driver.UnpauseAsync(spec.Name, default);
        (await StateOfAsync(spec.Name)).Should().Be(PowerState.Running);

        await Driver.SuspendAsync(spec.Name, default);
        (await StateOfAsync(spec.Name)).Should().Be(PowerState.Shutdown, "its memory is saved and the domain stopped");
        (await Driver.ListInstancesAsync(default)).Should().Contain(spec.Name, "a suspended instance stays defined");
        await Driver.ResumeAsync(spec.Name, default);
        (await StateOfAsync(spec.Name)).Should().Be(PowerState.Running);
    }

    [Test]
    public async Task A_rescued_instance_boots_the_rescue_image_with_its_own_disk_second_and_unrescue_boots_its_own_again()
    {
        var spec = await SpawnBootedAsync();

        await Driver.RescueAsync(spec, spec.ImageRef, default);
        (await StateOfAsync(spec.Name)).Should().Be(PowerState.Running);
        await _harness.BootedAsync(spec.Name);
        if (Driver is LibvirtComputeDriver)
        {
            (await DisksAsync(spec.Name)).Should().Equal(new Dictionary<string, string?> { ["vda"] = "disk.rescue", ["vdb"] = "disk" });
        }

        await Driver.UnrescueAsync(spec.Name, default);
        (await StateOfAsync(spec.Name)).Should().Be(PowerState.Running);
        await _harness.BootedAsync(spec.Name);
        if (Driver is LibvirtComputeDriver)
        {
            (await DisksAsync(spec.Name)).Should().Equal(new Dictionary<string, string?> { ["vda"] = "disk" });
        }
    }

    [Test]
    public async Task An_unknown_instance_has_no_info_and_every_action_on_it_fails_naming_it()
    {
        var name = _harness.NewInstance().Name;

        (await Driver.GetInfoAsync(name, default)).Should().BeNull();
        var actions = new Dictionary<string, Func<Task>>
        {
            ["reboot"] = () => Driver.RebootAsync(name, hard: true, default),
            ["power off"] = () => Driver.PowerOffAsync(name, default),
            ["power on"] = () => Driver.PowerOnAsync(name, default),
            ["console"] = () => Driver.GetConsoleOutputAsync(name, default),
            ["attach"] = () => Driver.AttachDeviceAsync(name, "<disk/>", default),
            ["detach"] = () => Driver.DetachDeviceAsync(name, "<disk/>", default),
            ["pause"] = () => Driver.PauseAsync(name, default),
            ["suspend"] = () => Driver.SuspendAsync(name, default),
        };
        foreach (var (what, action) in actions)
        {
            (await action.Should().ThrowAsync<Exception>(what)).Which.Message.Should().Contain(name, what);
        }
    }
}
