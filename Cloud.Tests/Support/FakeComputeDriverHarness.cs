using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Drivers.Fake;

namespace Cloud.Tests.Support;

/// <summary>The fake driver (the test double the unit tests run on), in memory.</summary>
public sealed class FakeComputeDriverHarness : IComputeDriverHarness
{
    public IComputeDriver Driver { get; } = new FakeComputeDriver(new FakeDriverFlags());

    public Task StartAsync() => Task.CompletedTask;

    public InstanceSpec NewInstance() => TinyVm.Spec();

    public Task BootedAsync(string name) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
