using Cloud.Modules.Compute.Drivers;

namespace Cloud.Tests.Support;

/// <summary>One compute driver under the contract tests (the fake, libvirt on the real host); what it spawned is destroyed on dispose.</summary>
public interface IComputeDriverHarness : IAsyncDisposable
{
    IComputeDriver Driver { get; }

    /// <summary>Makes the driver, or ignores the test (fails it under CLOUD_TEST_REQUIRE=1) when its hypervisor is missing.</summary>
    Task StartAsync();

    /// <summary>A new instance of the test guest, named so no other test or host owns it.</summary>
    InstanceSpec NewInstance();

    /// <summary>Waits until the spawned guest has booted (its console says so); the fake has no guest to wait for.</summary>
    Task BootedAsync(string name);
}
