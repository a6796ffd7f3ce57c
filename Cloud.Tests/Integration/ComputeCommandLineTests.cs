using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>The compute role's start-up and <c>cloudd manage flavor</c> as an operator runs them. SQLite only.</summary>
[Category("Integration")]
public sealed class ComputeCommandLineTests : SyncedStateFixture
{
    [Test]
    public async Task The_compute_role_refuses_kvm_where_kvm_cannot_work_and_says_to_use_qemu()
    {
        if (File.ReadAllText("/proc/cpuinfo").Split(' ', '\t', '\n').Any(f => f is "vmx" or "svm") && File.Exists("/dev/kvm"))
        {
            Assert.Ignore("this host has hardware virtualization: kvm is not refused here");
        }

        var (code, _, stderr) = await CloudProcess.RunAsync("--roles=compute", StatePath);

        code.Should().Be(2);
        stderr.Should().Contain("cloudd: error: --libvirt_type=kvm: KVM cannot run guests on this host (")
            .And.EndWith("); start the compute role with --libvirt_type=qemu (software emulation, slower but works everywhere)\n");
        (await CloudProcess.RunAsync("--roles=compute", StatePath, "--compute_driver=xen")).Stderr.Should().Contain("--compute_driver=xen: use libvirt");
    }

    [Test]
    public async Task The_compute_role_refuses_to_start_when_libvirt_is_unreachable_and_says_what_to_start()
    {
        var (code, _, stderr) = await CloudProcess.RunAsync(
            new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = $"unix:path={StateDirectory}/no-bus" },
            "--roles=compute", StatePath, "--libvirt_type=qemu");

        code.Should().Be(2);
        stderr.Should().Contain("cloudd: error: --compute_driver=libvirt: cannot reach libvirt through libvirt-dbus (org.libvirt /org/libvirt/QEMU on unix:path=")
            .And.Contain("start the system D-Bus daemon and libvirtd on this host");
    }

    [Test]
    public async Task Flavors_are_created_listed_and_deleted_with_manage_flavor()
    {
        var created = await CloudProcess.RunAsync("manage", "flavor", "create", "m1.huge", "32768", "16", "320", "--flavorid=6", StatePath);
        var duplicate = await CloudProcess.RunAsync("manage", "flavor", "create", "m1.huge", "1", "1", "1", StatePath);
        var list = await CloudProcess.RunAsync("manage", "flavor", "list", StatePath);
        var deleted = await CloudProcess.RunAsync("manage", "flavor", "delete", "m1.tiny", StatePath);
        var after = await CloudProcess.RunAsync("manage", "flavor", "list", StatePath);

        (created.ExitCode, created.Stdout).Should().Be((0, "created flavor m1.huge (id 6)\n"));
        (duplicate.ExitCode, duplicate.Stderr).Should().Be((1, "cloudd: error: Flavor with name m1.huge already exists.\n"));
        list.Stdout.Split('\n')[0].Should().MatchRegex(@"^Name\s+Id\s+Memory_MB\s+VCPUs\s+Root_GB$");
        list.Stdout.Should().MatchRegex(@"m1\.tiny\s+1\s+512\s+1\s+0\n").And.MatchRegex(@"m1\.xlarge\s+5\s+16384\s+8\s+160\n").And.MatchRegex(@"m1\.huge\s+6\s+32768\s+16\s+320\n");
        deleted.ExitCode.Should().Be(0);
        after.Stdout.Should().NotContain("m1.tiny");
    }
}
