using Cloud.Modules.Compute;
using Cloud.Modules.Compute.Drivers.Fake;
using Cloud.Modules.Kernel;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Compute;

/// <summary>
/// os-getConsoleOutput through ComputeApi and the compute manager on the fake driver: the guest's output while it
/// runs, and Nova's 404 (not a 500 from the driver) when the instance has a host but no guest there.
/// </summary>
public sealed class ConsoleOutputTests
{
    private const string ComputeHost = "cmp1";
    private SqliteHarness _db = null!;
    private ComputeTestCloud _cloud = null!;
    private FakeComputeDriver _driver = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _db = new SqliteHarness();
        _cloud = await ComputeTestCloud.StartAsync(_db.Db);
        _driver = await _cloud.AddHostAsync(ComputeHost);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _cloud.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Test]
    public async Task A_running_instance_answers_its_guest_console()
    {
        var instance = await RunningAsync();

        (await _cloud.Compute.GetConsoleOutputAsync(_cloud.Alice, instance.Uuid, default)).Should().Contain(instance.Name);
    }

    [Test]
    public async Task An_instance_whose_guest_is_gone_from_its_host_is_not_found_rather_than_a_server_error()
    {
        var instance = await RunningAsync();
        await _driver.DestroyAsync(instance.Name, default);

        var asked = await FluentActions.Awaiting(() => _cloud.Compute.GetConsoleOutputAsync(_cloud.Alice, instance.Uuid, default)).Should().ThrowAsync<CloudException>();

        asked.Which.Kind.Should().Be(CloudErrorKind.NotFound);
        asked.Which.Message.Should().Be($"Instance {instance.Uuid} could not be found.");
    }

    private async Task<Instance> RunningAsync()
    {
        var created = await _cloud.Compute.CreateAsync(_cloud.Alice, new CreateInstancesRequest("ami-1", "m1.tiny", 1, 1), default);
        var instance = (await _cloud.SettledAsync(_cloud.Alice, created))[0];
        instance.VmState.Should().Be(VmStates.Active);
        return instance;
    }
}
