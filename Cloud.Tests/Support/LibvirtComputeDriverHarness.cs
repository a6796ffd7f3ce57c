using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Drivers.Libvirt;

namespace Cloud.Tests.Support;

/// <summary>
/// The libvirt driver against the machine's real libvirtd (through libvirt-dbus), booting the test image under
/// TCG with no NIC; every domain it was asked for and its instance files are removed on dispose.
/// </summary>
public sealed class LibvirtComputeDriverHarness : IComputeDriverHarness
{
    private readonly List<string> _names = [];
    private TempDir? _instances;
    private LibvirtComputeDriver? _driver;

    public IComputeDriver Driver => _driver ?? throw new InvalidOperationException("StartAsync first");

    public async Task StartAsync()
    {
        await TestLibvirt.RequireAsync();
        var images = new LocalImageFetcher(await TinyVm.ImageFilesAsync());
        _instances = new TempDir().Traversable();
        _driver = TestLibvirt.Driver(_instances.Path, images, TinyVm.Cmdline);
    }

    public InstanceSpec NewInstance()
    {
        var spec = TinyVm.Spec();
        _names.Add(spec.Name);
        return spec;
    }

    public Task BootedAsync(string name) => TinyVm.BootedAsync(Driver, name);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_driver is not null)
            {
                foreach (var name in _names)
                {
                    await _driver.DestroyAsync(name, default);
                }
                await _driver.DisposeAsync();
            }
        }
        finally
        {
            _instances?.Dispose();
        }
    }
}
