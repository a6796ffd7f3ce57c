using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Compute.Drivers.Fake;

/// <summary>The capacity the fake (test double) compute driver reports; only read with <c>--compute_driver=fake</c>.</summary>
public sealed class FakeDriverFlags : IValidatedFlags
{
    [ConfigurationKeyName("fake_vcpus")]
    [Description("Fake compute driver (test double): simulated CPUs of this host.")]
    public long Vcpus { get; set; } = 16;

    [ConfigurationKeyName("fake_memory_mb")]
    [Description("Fake compute driver (test double): simulated RAM (MiB) of this host.")]
    public long MemoryMb { get; set; } = 16384;

    [ConfigurationKeyName("fake_local_gb")]
    [Description("Fake compute driver (test double): simulated instance disk (GiB) of this host.")]
    public long LocalGb { get; set; } = 500;

    [ConfigurationKeyName("fake_guests_file")]
    [Description("Fake compute driver (test double): a file that keeps the simulated guests (JSON), so fault tests can see them and they outlive a killed compute process; empty: in memory only.")]
    public string GuestsFile { get; set; } = "";

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        FlagError.Require(Vcpus >= 1, "fake_vcpus", Vcpus, "must be at least 1");
        FlagError.Require(MemoryMb >= 1, "fake_memory_mb", MemoryMb, "must be at least 1");
        FlagError.Require(LocalGb >= 0, "fake_local_gb", LocalGb, "must be 0 or more");
        FlagError.Require(GuestsFile.Length == 0 || Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(GuestsFile))), "fake_guests_file", GuestsFile, "its directory must exist");
    }
}
