using Cloud.Modules.Compute.Drivers.Fake;
using Cloud.Modules.Compute.Drivers.Libvirt;
using Cloud.Modules.Compute.Images;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Compute.Drivers;

/// <summary>Builds the driver <c>--compute_driver</c> names when the compute role starts, refusing one that cannot work here.</summary>
public static class ComputeDriverFactory
{
    public static IComputeDriver FromFlags(IServiceProvider services)
    {
        var flags = services.GetRequiredService<IOptions<ComputeFlags>>().Value;
        flags.Validate();
        return flags.ComputeDriver == "fake"
            ? new FakeComputeDriver(services.GetRequiredService<IOptions<FakeDriverFlags>>().Value)
            : Libvirt(services, flags);
    }

    private static LibvirtComputeDriver Libvirt(IServiceProvider services, ComputeFlags flags)
    {
        LibvirtHost.CheckDomainType(flags.LibvirtType);
        var connectPath = LibvirtHost.ConnectPath(flags.LibvirtUri, flags.LibvirtType);
        var logs = services.GetRequiredService<ILoggerFactory>();
        var libvirt = new LibvirtDbus(connectPath, logs.CreateLogger<LibvirtDbus>());
        // The role cannot start without libvirt: say so once, at start-up, instead of failing every instance.
        LibvirtHost.CheckReachableAsync(libvirt, CancellationToken.None).GetAwaiter().GetResult();
        var instancesPath = Path.GetFullPath(flags.InstancesPath);
        return new LibvirtComputeDriver(libvirt, new BaseImageCache(instancesPath, services.GetRequiredService<IImageFetcher>()), instancesPath,
            flags.LibvirtType, services.GetRequiredService<IOptions<LibvirtFlags>>().Value, logs.CreateLogger<LibvirtComputeDriver>());
    }
}
