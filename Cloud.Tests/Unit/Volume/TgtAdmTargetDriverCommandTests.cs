using Cloud.Modules.Volume;
using Cloud.Modules.Volume.Drivers;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Volume;

/// <summary>
/// <see cref="TgtAdmTargetDriver"/>'s tgtadm commands, recorded, and <see cref="TgtShowParser"/> on tgt 1.0.85's output
/// (the real tgtd is in Integration/TgtAdmTargetDriverTests): the order that never leaves a target open without CHAP,
/// the system tgtd without -C, and the parsing of what tgtadm shows.
/// </summary>
public sealed class TgtAdmTargetDriverCommandTests
{
    private const string ShowTargets = "tgtadm --lld iscsi --op show --mode target";

    private const string TwoTargets = """
        Target 1: iqn.2010-10.org.openstack:volume-00000001
            System information:
                Driver: iscsi
                State: ready
            I_T nexus information:
                I_T nexus: 4
                    Initiator: iqn.2010-11.libiscsi:iscsi-perf alias: none
                    Connection: 0
                        IP Address: 127.0.0.1
            LUN information:
                LUN: 0
                    Type: controller
                    Backing store type: null
                    Backing store path: None
                    Backing store flags: 
                LUN: 1
                    Type: disk
                    Size: 67 MB, Block size: 512
                    Backing store type: rdwr
                    Backing store path: /var/lib/cloudd/volumes/volume-00000001
                    Backing store flags: 
            Account information:
                u1
                out1 (outgoing)
            ACL information:
                ALL
        Target 2: iqn.2010-10.org.openstack:volume-00000002
            System information:
                Driver: iscsi
                State: ready
            I_T nexus information:
            LUN information:
                LUN: 0
                    Type: controller
                    Backing store path: None
            Account information:
            ACL information:

        """;

    private static readonly IscsiExport Export = new(1, "iqn.2010-10.org.openstack:volume-00000001", "/var/lib/cloudd/volumes/volume-00000001", "u1", "s3cret");

    [Test]
    public void Show_output_is_read_into_targets_luns_accounts_acls_and_sessions()
    {
        var targets = TgtShowParser.Targets(TwoTargets);

        targets.Should().HaveCount(2);
        targets[0].Should().BeEquivalentTo(new
        {
            Tid = 1,
            Iqn = "iqn.2010-10.org.openstack:volume-00000001",
            BackingStores = new Dictionary<int, string> { [1] = "/var/lib/cloudd/volumes/volume-00000001" },
            IncomingUsers = new[] { "u1" },
            Acls = new[] { "ALL" },
            Sessions = new[] { 4 },
        });
        targets[1].BackingStores.Should().BeEmpty();
        targets[1].IncomingUsers.Should().BeEmpty();
        targets[1].Acls.Should().BeEmpty();
        TgtShowParser.Accounts("Account list:\n    u1\n    u2\n").Should().Equal("u1", "u2");
        TgtShowParser.Connections("Session: 5\n    Connection: 0\n        Initiator: iqn.x\n        IP Address: 127.0.0.1\n").Should().Equal([(5, 0)]);
    }

    [Test]
    public async Task A_new_export_gets_its_account_bound_before_any_initiator_is_let_in()
    {
        var host = new RecordedCommands();

        await Driver(host).EnsureExportAsync(Export, default);

        host.Lines.Should().Equal(
            ShowTargets,
            "tgtadm --lld iscsi --op new --mode target --tid 1 -T iqn.2010-10.org.openstack:volume-00000001",
            "tgtadm --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b /var/lib/cloudd/volumes/volume-00000001 --bstype rdwr --device-type disk",
            "tgtadm --lld iscsi --op show --mode account",
            "tgtadm --lld iscsi --op new --mode account --user u1 --password s3cret",
            "tgtadm --lld iscsi --op bind --mode account --tid 1 --user u1",
            "tgtadm --lld iscsi --op bind --mode target --tid 1 -I ALL");
    }

    [Test]
    public async Task A_block_device_is_served_with_aio_and_a_control_port_is_named_with_C()
    {
        var host = new RecordedCommands();

        await Driver(host, controlPort: 12).EnsureExportAsync(Export with { BackingPath = "/dev/nova-volumes/volume-00000001" }, default);

        host.Lines.Should().OnlyContain(l => l.StartsWith("tgtadm -C 12 --lld iscsi ", StringComparison.Ordinal));
        host.Lines.Should().Contain(l => l.Contains("-b /dev/nova-volumes/volume-00000001 --bstype aio --device-type disk", StringComparison.Ordinal));
    }

    [Test]
    public async Task An_account_left_from_before_is_made_anew_with_the_target_closed_meanwhile()
    {
        // The target is open to all but its account is another one's: tgt never shows a secret, so ours is recreated.
        var host = new RecordedCommands()
            .Answer(ShowTargets, TwoTargets.Replace("        u1\n", "        stale\n", StringComparison.Ordinal))
            .Answer("tgtadm --lld iscsi --op show --mode account", "Account list:\n    stale\n    u1\n");

        await Driver(host).EnsureExportAsync(Export, default);

        host.Lines.Skip(1).Should().Equal(
            "tgtadm --lld iscsi --op unbind --mode target --tid 1 -I ALL",
            "tgtadm --lld iscsi --op unbind --mode account --tid 1 --user stale",
            "tgtadm --lld iscsi --op show --mode account",
            "tgtadm --lld iscsi --op delete --mode account --user u1",
            "tgtadm --lld iscsi --op new --mode account --user u1 --password s3cret",
            "tgtadm --lld iscsi --op bind --mode account --tid 1 --user u1",
            "tgtadm --lld iscsi --op bind --mode target --tid 1 -I ALL");
    }

    [Test]
    public async Task Remove_closes_the_door_and_the_connections_before_the_forced_delete_and_drops_the_account()
    {
        var host = new RecordedCommands()
            .Answer(ShowTargets, TwoTargets)
            .Answer(ShowTargets, TwoTargets[TwoTargets.IndexOf("Target 2:", StringComparison.Ordinal)..])
            .Answer("tgtadm --lld iscsi --op show --mode conn --tid 1", "Session: 4\n    Connection: 0\n");

        await Driver(host).RemoveExportAsync(1, "iqn.2010-10.org.openstack:volume-00000001", default);

        host.Lines.Should().Equal(
            ShowTargets,
            "tgtadm --lld iscsi --op unbind --mode target --tid 1 -I ALL",
            "tgtadm --lld iscsi --op show --mode conn --tid 1",
            "tgtadm --lld iscsi --op delete --mode conn --tid 1 --sid 4 --cid 0",
            "tgtadm --lld iscsi --op delete --force --mode target --tid 1",
            ShowTargets,
            "tgtadm --lld iscsi --op delete --mode account --user u1");
    }

    [Test]
    public async Task A_secret_is_not_in_the_message_of_a_refused_export()
    {
        var ensure = () => Driver(new RecordedCommands()).EnsureExportAsync(Export with { BackingPath = "relative/path" }, default);

        (await ensure.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().NotContain("s3cret").And.Contain("relative/path");
    }

    private static TgtAdmTargetDriver Driver(RecordedCommands host, int controlPort = 0) =>
        new(Options.Create(new VolumeFlags { TgtControlPort = controlPort }), host, NullLogger<TgtAdmTargetDriver>.Instance);
}
