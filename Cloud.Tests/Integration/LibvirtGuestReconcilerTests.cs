using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// <see cref="GuestReconciler"/> on the real libvirt driver (SQLite): a running domain that no instance of the database
/// owns is destroyed, its files with it. Only this test's domains are shown to the reconciler (<see cref="OwnGuestsOnly"/>),
/// so the domains of tests running beside it on the shared libvirtd are never its business.
/// </summary>
[Category("Integration")]
public sealed class LibvirtGuestReconcilerTests
{
    [Test]
    public async Task A_running_domain_no_instance_owns_is_reaped()
    {
        await using var libvirt = new LibvirtComputeDriverHarness();
        await libvirt.StartAsync();
        await using var db = new SqliteHarness();
        await using var cloud = await ComputeTestCloud.StartAsync(db.Db, serveScheduler: false);
        var orphan = libvirt.NewInstance();
        await libvirt.Driver.SpawnAsync(orphan, default);
        (await libvirt.Driver.GetInfoAsync(orphan.Name, default))!.State.Should().Be(PowerState.Running);
        var reconciler = new GuestReconciler(OwnGuestsOnly.Of(libvirt.Driver, [orphan.Name]), cloud.Store,
            Options.Create(new ComputeFlags()), Options.Create(new CommonFlags { Host = "lv1" }), cloud.Clock, NullLogger<GuestReconciler>.Instance);

        await reconciler.ReconcileAsync(default);

        (await libvirt.Driver.GetInfoAsync(orphan.Name, default)).Should().BeNull();
        (await libvirt.Driver.ListInstancesAsync(default)).Should().NotContain(orphan.Name);
    }
}
