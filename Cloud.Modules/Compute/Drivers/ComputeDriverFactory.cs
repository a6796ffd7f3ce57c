using Cloud.Modules.Compute.Drivers.Fake;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Compute.Drivers;

/// <summary>Builds the driver <c>--compute_driver</c> names when the compute role starts.</summary>
public static class ComputeDriverFactory
{
    public static IComputeDriver FromFlags(IServiceProvider services)
    {
        var name = services.GetRequiredService<IOptions<ComputeFlags>>().Value.ComputeDriver;
        return name switch
        {
            "fake" => new FakeComputeDriver(services.GetRequiredService<IOptions<FakeDriverFlags>>().Value),
            "libvirt" => throw new FlagException(
                "--compute_driver=libvirt: the libvirt driver is not available yet in this build of cloudd, so the compute role cannot start real instances; " +
                "--compute_driver=fake is a test double for scheduler tests and benchmarks only"),
            _ => throw new FlagException($"--compute_driver={name}: use libvirt (or fake, a test double)"),
        };
    }
}
