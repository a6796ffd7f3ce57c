using Cloud.Modules.Kernel.Host;
using Cloud.Modules.Volume;
using Cloud.Modules.Volume.Drivers;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// <see cref="TgtAdmTargetDriver"/> against a real tgtd of this fixture's own (control port 21, portal 127.0.0.1:3321; 22 and
/// 3322 inside a network namespace),
/// read back with libiscsi's tools the way QEMU logs in: CHAP is the gate, ensure is idempotent, remove works while an
/// initiator is busy, a grown file is seen at its new size, and a missing tgtd is named in the error.
/// </summary>
[Category("Integration")]
public sealed class TgtAdmTargetDriverTests
{
    private const int ControlPort = 21;
    private const int PortalPort = 3321;
    private const string Iqn = "iqn.2010-10.org.openstack:volume-0000002a";
    private const string Secret = "s3cret-chap-pass";

    private TgtDaemon _tgtd = null!;
    private TempDir _dir = null!;
    private TgtAdmTargetDriver _driver = null!;
    private IscsiExport _export = null!;

    [SetUp]
    public async Task StartTgtd()
    {
        ExternalTool.Require("iscsi-ls", "libiscsi-bin");
        _tgtd = await TgtDaemon.StartAsync(ControlPort, PortalPort);
        _dir = new TempDir();
        var file = Path.Combine(_dir.Path, "volume-0000002a");
        await using (var stream = File.Create(file))
        {
            stream.SetLength(64L << 20);
        }
        _driver = Driver(ControlPort);
        _export = new IscsiExport(7, Iqn, file, "vol42user", Secret);
    }

    [TearDown]
    public async Task StopTgtd()
    {
        await _tgtd.DisposeAsync();
        _dir.Dispose();
    }

    [Test]
    public async Task An_export_is_reachable_with_its_chap_secret_and_refused_without_it()
    {
        await _driver.EnsureExportAsync(_export, default);

        var ok = await IscsiAsync("iscsi-ls", "-s", Url("vol42user", Secret));
        ok.ExitCode.Should().Be(0, ok.ToString());
        ok.Stdout.Should().Contain("Lun:1").And.Contain("DIRECT_ACCESS");
        var wrong = await IscsiAsync("iscsi-ls", "-s", Url("vol42user", "not-the-secret"));
        wrong.ExitCode.Should().NotBe(0);
        (wrong.Stdout + wrong.Stderr).Should().Contain("Authentication failure");
        var anonymous = await IscsiAsync("iscsi-ls", "-s", $"iscsi://{_tgtd.Portal}/{Iqn}/1");
        anonymous.ExitCode.Should().NotBe(0, "no CHAP, no login");
        (await _driver.ListExportsAsync(default)).Should().Equal([(7, Iqn)]);
    }

    [Test]
    public async Task Ensuring_an_export_again_changes_nothing()
    {
        await _driver.EnsureExportAsync(_export, default);
        var before = await _tgtd.AdmOkAsync("--op", "show", "--mode", "target");
        var recorded = new ObservedCommands(Runner());

        await Driver(ControlPort, recorded).EnsureExportAsync(_export, default);

        recorded.Lines.Should().OnlyContain(l => l.Contains("--op show", StringComparison.Ordinal), "an export that is as asked is left alone");
        (await _tgtd.AdmOkAsync("--op", "show", "--mode", "target")).Should().Be(before);
    }

    [Test]
    public async Task Ensure_repairs_a_half_made_export_without_a_window_open_to_anyone()
    {
        // What a crash between two tgtadm calls leaves: the target and its LUN, no account, no ACL.
        await _tgtd.AdmOkAsync("--op", "new", "--mode", "target", "--tid", "7", "-T", Iqn);
        await _tgtd.AdmOkAsync("--op", "new", "--mode", "logicalunit", "--tid", "7", "--lun", "1", "-b", _export.BackingPath);

        await _driver.EnsureExportAsync(_export, default);

        (await IscsiAsync("iscsi-ls", "-s", Url("vol42user", Secret))).ExitCode.Should().Be(0);
        (await IscsiAsync("iscsi-ls", "-s", $"iscsi://{_tgtd.Portal}/{Iqn}/1")).ExitCode.Should().NotBe(0);
    }

    [Test]
    public async Task A_tid_held_by_another_volume_is_given_to_the_one_asked_for()
    {
        await _driver.EnsureExportAsync(_export with { Iqn = "iqn.2010-10.org.openstack:volume-00000001", ChapUser = "olduser" }, default);

        await _driver.EnsureExportAsync(_export, default);

        (await _driver.ListExportsAsync(default)).Should().Equal([(7, Iqn)]);
        (await _tgtd.AdmOkAsync("--op", "show", "--mode", "account")).Should().NotContain("olduser");
        (await IscsiAsync("iscsi-ls", "-s", Url("vol42user", Secret))).ExitCode.Should().Be(0);
    }

    [Test]
    public async Task The_same_volume_under_a_new_tid_replaces_its_old_target()
    {
        await _driver.EnsureExportAsync(_export with { Tid = 3 }, default);

        await _driver.EnsureExportAsync(_export, default);

        (await _driver.ListExportsAsync(default)).Should().Equal([(7, Iqn)]);
        (await IscsiAsync("iscsi-ls", "-s", Url("vol42user", Secret))).ExitCode.Should().Be(0);
    }

    [Test]
    public async Task Remove_takes_the_target_and_its_account_away_and_repeating_it_is_no_error()
    {
        await _driver.EnsureExportAsync(_export, default);

        await _driver.RemoveExportAsync(7, Iqn, default);
        await _driver.RemoveExportAsync(7, Iqn, default);

        (await _driver.ListExportsAsync(default)).Should().BeEmpty();
        (await _tgtd.AdmOkAsync("--op", "show", "--mode", "account")).Should().NotContain("vol42user");
    }

    [Test]
    public async Task Remove_works_while_an_initiator_is_connected_and_busy()
    {
        await _driver.EnsureExportAsync(_export, default);
        await using var reader = await ConnectedReaderAsync(4, 0);

        await _driver.RemoveExportAsync(7, Iqn, default);

        (await _tgtd.TargetIdsAsync()).Should().BeEmpty(reader.Output);
    }

    [Test]
    public async Task Remove_leaves_another_volumes_target_alone()
    {
        await _driver.EnsureExportAsync(_export, default);

        await _driver.RemoveExportAsync(7, "iqn.2010-10.org.openstack:volume-00000001", default);

        (await _driver.ListExportsAsync(default)).Should().Equal([(7, Iqn)]);
    }

    [Test]
    public async Task After_the_file_grows_refresh_shows_the_new_size_also_to_a_connected_initiator()
    {
        await _driver.EnsureExportAsync(_export, default);
        await using var reader = await ConnectedReaderAsync(1, 1000);
        await using (var stream = File.OpenWrite(_export.BackingPath))
        {
            stream.SetLength(128L << 20);
        }
        (await CapacityAsync()).Should().Be(64L << 20, "tgt read the size when it opened the file");

        await _driver.RefreshSizeAsync(_export, default);

        (await CapacityAsync()).Should().Be(128L << 20);
        (await _tgtd.AdmOkAsync("--op", "show", "--mode", "target")).Should().Contain("Online: Yes");
    }

    [Test]
    public async Task Without_tgtd_the_error_names_tgtd_and_its_control_socket()
    {
        await _tgtd.KillAsync();

        var check = () => _driver.CheckSetupAsync(default);
        var ensure = () => _driver.EnsureExportAsync(_export, default);

        (await check.Should().ThrowAsync<InvalidOperationException>()).WithMessage($"*tgtd*/var/run/tgtd/socket.{ControlPort}*");
        (await ensure.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("tgtd").And.NotContain(Secret);
    }

    [Test]
    public async Task The_chap_secret_never_appears_in_the_command_log()
    {
        var log = new CapturingLogger<CommandRunner>();
        var driver = Driver(ControlPort, new CommandRunner([], log));

        await driver.EnsureExportAsync(_export, default);

        log.Entries.Should().Contain(e => e.Message.Contains("--password ***", StringComparison.Ordinal));
        log.Entries.Should().NotContain(e => e.Message.Contains(Secret, StringComparison.Ordinal));
    }

    [Test]
    public async Task A_tgtd_inside_a_network_namespace_serves_its_portal_there_and_is_driven_from_outside()
    {
        await using var ns = await NetworkNamespace.CreateAsync("tgt");
        await using var inside = await TgtDaemon.StartAsync(ControlPort + 1, PortalPort + 1, ns);

        await Driver(ControlPort + 1).EnsureExportAsync(_export, default);

        var there = await ns.ExecAsync("iscsi-ls", ["-s", $"iscsi://vol42user%{Secret}@{inside.Portal}/{Iqn}/1"]);
        there.ExitCode.Should().Be(0, there.ToString());
        (await IscsiAsync("iscsi-ls", "-s", $"iscsi://vol42user%{Secret}@{inside.Portal}/{Iqn}/1")).ExitCode.Should().NotBe(0, "the portal is in the namespace only");
    }

    private static TgtAdmTargetDriver Driver(int controlPort, IHostCommands? host = null) =>
        new(Options.Create(new VolumeFlags { TgtControlPort = controlPort }), host ?? Runner(), NullLogger<TgtAdmTargetDriver>.Instance);

    private static CommandRunner Runner() => new([], NullLogger<CommandRunner>.Instance);

    private string Url(string user, string secret) => $"iscsi://{user}%{secret}@{_tgtd.Portal}/{Iqn}/1";

    /// <summary>iscsi-perf reading the LUN nonstop (<paramref name="inFlight"/> commands at a time), once tgt shows its session.</summary>
    private async Task<BackgroundTool> ConnectedReaderAsync(int inFlight, int reconnects)
    {
        var reader = BackgroundTool.Start("iscsi-perf", ["-m", $"{inFlight}", "-x", $"{reconnects}", Url("vol42user", Secret)]);
        await Poller.UntilAsync(async () => (await _tgtd.AdmOkAsync("--op", "show", "--mode", "conn", "--tid", "7")).Contains("Session:", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "iscsi-perf logged in");
        return reader;
    }

    private async Task<long> CapacityAsync()
    {
        var run = await IscsiAsync("iscsi-readcapacity16", Url("vol42user", Secret));
        run.ExitCode.Should().Be(0, run.ToString());
        return long.Parse(run.Stdout.Split('\n').Single(l => l.StartsWith("Total size:", StringComparison.Ordinal))["Total size:".Length..].Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<ToolRun> IscsiAsync(string program, params string[] arguments) => ExternalTool.RunAsync(program, arguments, "/tmp");
}
