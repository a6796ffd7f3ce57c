using Cloud.Host;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary><c>cloudd --roles=all</c> on embedded defaults (SQLite, in-process bus), as the README runs it.</summary>
[Category("Integration")]
public sealed class AllRolesTests
{
    /// <summary>The volume role's tgtd (private: tests never touch the machine's own, control port 0).</summary>
    private const int TgtControlPort = 71;

    [Test]
    public async Task All_roles_come_up_write_their_log_files_without_secrets_and_stop_on_sigterm()
    {
        using var dir = new TempDir().Traversable(); // the network role refuses a state path dnsmasq (as nobody) cannot enter
        var logs = Path.Combine(dir.Path, "log");
        var iscsiPort = FreePort.Next();
        await using var tgtd = await TgtDaemon.StartAsync(TgtControlPort, iscsiPort);
        string[] flags =
        [
            $"--state_path={dir.Path}", $"--logdir={logs}", "--report_interval=1", "--verbose", "--rabbit_password=topsecret",
            "--keystone_listen=127.0.0.1", $"--keystone_port={FreePort.Next()}", "--ec2_listen=127.0.0.1", $"--ec2_listen_port={FreePort.Next()}",
            "--swift_storage_listen=127.0.0.1", $"--swift_object_port={FreePort.Next()}", $"--swift_container_port={FreePort.Next()}", $"--swift_account_port={FreePort.Next()}",
            $"--swift_proxy_bind=127.0.0.1:{FreePort.Next()}", $"--swift_dir={dir.Path}/swift",
            "--glance_listen=127.0.0.1", $"--glance_port={FreePort.Next()}",
            "--osapi_compute_listen=127.0.0.1", $"--osapi_compute_listen_port={FreePort.Next()}",
            "--osapi_volume_listen=127.0.0.1", $"--osapi_volume_listen_port={FreePort.Next()}",
            "--metadata_listen=127.0.0.1", $"--metadata_port={FreePort.Next()}",
            $"--tgt_control_port={TgtControlPort}", $"--iscsi_port={iscsiPort}", "--iscsi_ip_address=127.0.0.1",
            "--compute_driver=fake", // the test double: this test is about the roles, not about booting guests
        ];
        (await CloudProcess.RunAsync(["manage", "db", "sync", .. flags])).ExitCode.Should().Be(0);

        await using var cloud = CloudProcess.Start(["--roles=all", .. flags]);
        await Poller.UntilAsync(async () =>
        {
            var list = await CloudProcess.RunAsync(["manage", "service", "list", .. flags]);
            return list.Stdout.Split('\n').Count(l => l.Contains(" up ", StringComparison.Ordinal)) == ModuleCatalog.All.Count(m => m.IsRole);
        }, TimeSpan.FromSeconds(60), "all roles up in service list");

        cloud.Terminate();
        (await cloud.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0);

        // manage.log is the operator commands' own log (nova-manage.log), written by the service list polling.
        Directory.GetFiles(logs).Select(Path.GetFileName).Should().BeEquivalentTo(
            "api.log", "scheduler.log", "compute.log", "network.log", "volume.log", "glance.log", "swift.log",
            "manage.log");
        var compute = await File.ReadAllTextAsync(Path.Combine(logs, "compute.log"));
        compute.Should().Contain("INFO Cloud.Modules.Kernel.Service.RpcServiceHost [-] cloudd-compute started on host")
            .And.Contain("cloudd-compute on host").And.Contain("stopping")
            .And.NotContain("cloudd-api started", "each role logs to its own file");
        compute.Should().MatchRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} (DEBUG|INFO) ", "lines are timestamped nova-style");
        (await File.ReadAllTextAsync(Path.Combine(logs, "swift.log"))).Should().Contain("cloudd-swift-proxy started").And.Contain("cloudd-swift-storage started");
        foreach (var file in Directory.GetFiles(logs))
        {
            (await File.ReadAllTextAsync(file)).Should().NotContain("topsecret", file);
        }
        compute.Should().Contain("flag --rabbit_password=***", "--verbose logs the effective flags, masked");
    }
}
