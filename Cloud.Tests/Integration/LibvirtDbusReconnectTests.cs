using System.Diagnostics;
using Cloud.Modules.Compute.Drivers.Libvirt;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Tmds.DBus.Protocol;

namespace Cloud.Tests.Integration;

/// <summary>
/// The D-Bus side of the libvirt driver on a private dbus-daemon that the test starts, stops and starts again
/// (never the machine's system bus): calls and the DomainEvent subscription come back by themselves. A peer
/// connection owning <c>org.libvirt</c> stands in for libvirt-dbus and emits the signal.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class LibvirtDbusReconnectTests
{
    private TempDir _dir = null!;
    private Process? _bus;
    private string? _previousAddress;

    private string Address => $"unix:path={_dir.Path}/bus";

    [SetUp]
    public void UsePrivateBus()
    {
        ExternalTool.Require("dbus-daemon", "dbus");
        _dir = new TempDir();
        _previousAddress = Environment.GetEnvironmentVariable("DBUS_SYSTEM_BUS_ADDRESS");
        Environment.SetEnvironmentVariable("DBUS_SYSTEM_BUS_ADDRESS", Address);
    }

    [TearDown]
    public void StopPrivateBus()
    {
        Environment.SetEnvironmentVariable("DBUS_SYSTEM_BUS_ADDRESS", _previousAddress);
        StopBus();
        _dir.Dispose();
    }

    [Test]
    public async Task Calls_and_domain_events_come_back_after_the_bus_restarts()
    {
        await StartBusAsync();
        await using var libvirt = new LibvirtDbus("/org/libvirt/QEMU", NullLogger.Instance);
        var events = new List<DomainEvent>();
        libvirt.SubscribeDomainEvents(e =>
        {
            lock (events)
            {
                events.Add(e);
            }
        });
        var unknown = () => libvirt.ListDomainsAsync(0, default);
        (await unknown.Should().ThrowAsync<LibvirtException>()).Which.Unreachable.Should().BeTrue("nobody owns org.libvirt on this bus");
        await EmitUntilHeardAsync(events, 5);

        StopBus();
        (await unknown.Should().ThrowAsync<LibvirtException>()).Which.Unreachable.Should().BeTrue();
        await StartBusAsync();

        await EmitUntilHeardAsync(events, 8);
        (await unknown.Should().ThrowAsync<LibvirtException>()).Which.Message.Should().Contain("org.libvirt", "the call reached the new bus");
    }

    /// <summary>Owns org.libvirt on the bus and emits DomainEvent until the subscriber has heard it (it may still be resubscribing).</summary>
    private async Task EmitUntilHeardAsync(List<DomainEvent> events, int type)
    {
        using var peer = new DBusConnection(Address);
        await peer.ConnectAsync();
        await peer.RequestNameAsync("org.libvirt");
        var expected = new DomainEvent("77a5d4e9-9204-442d-a283-f3b41e684a14", type, 0);
        await Poller.UntilAsync(() =>
        {
            Emit(peer, type);
            lock (events)
            {
                return events.Contains(expected);
            }
        }, TimeSpan.FromSeconds(30), $"DomainEvent {type} to reach the subscriber");
    }

    private static void Emit(DBusConnection peer, int type)
    {
        var writer = peer.GetMessageWriter();
        try
        {
            writer.WriteSignalHeader(null, "/org/libvirt/QEMU", "org.libvirt.Connect", "DomainEvent", "oii");
            writer.WriteObjectPath("/org/libvirt/QEMU/domain/_77a5d4e9_9204_442d_a283_f3b41e684a14");
            writer.WriteInt32(type);
            writer.WriteInt32(0);
            peer.TrySendMessage(writer.CreateMessage());
        }
        finally
        {
            writer.Dispose();
        }
    }

    private async Task StartBusAsync()
    {
        File.Delete($"{_dir.Path}/bus");
        // No service directories: nothing may be activated on this bus (the session config would start a real libvirt-dbus).
        var config = _dir.File("bus.conf", """
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>custom</type>
              <listen>unix:tmpdir=/tmp</listen>
              <policy context="default">
                <allow send_destination="*" eavesdrop="true"/>
                <allow eavesdrop="true"/>
                <allow own="*"/>
              </policy>
            </busconfig>
            """);
        var start = new ProcessStartInfo("dbus-daemon") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var arg in new[] { $"--config-file={config}", $"--address={Address}", "--nofork", "--print-address" })
        {
            start.ArgumentList.Add(arg);
        }
        _bus = Process.Start(start)!;
        await _bus.StandardOutput.ReadLineAsync();
    }

    private void StopBus()
    {
        if (_bus is { } bus)
        {
            bus.Kill();
            bus.WaitForExit();
            bus.Dispose();
            _bus = null;
        }
    }
}
