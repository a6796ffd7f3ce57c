using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Issue 11, item 3: the all-in-one object store is complete on first run. The api, glance and both swift roles in
/// one process on a fresh state directory, with nothing about swift configured but its ports: the real swift client
/// works with the generated operator file, the real openstack client with a Keystone token, and no log holds a
/// stack trace. And a storage role without rings says so once, in one line, instead of a trace every pass.
/// </summary>
[Category("Integration")]
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AllInOneObjectStoreTests
{
    private static readonly string[] Intervals =
    [
        "--swift_object_replicator_interval=1", "--swift_container_replicator_interval=1", "--swift_account_replicator_interval=1",
        "--swift_object_auditor_interval=1", "--swift_object_updater_interval=1", "--swift_container_updater_interval=1",
        "--swift_account_reaper_interval=1",
    ];

    private static string[] SwiftPorts(int proxyPort) =>
    [
        $"--swift_proxy_bind=127.0.0.1:{proxyPort}", $"--swift_url=http://127.0.0.1:{proxyPort}/v1/AUTH_",
        $"--swift_object_port={FreePort.Next()}", $"--swift_container_port={FreePort.Next()}", $"--swift_account_port={FreePort.Next()}",
    ];

    private static async Task<string> RunAsync(string program, string[] args, string work, Dictionary<string, string> environment, string logs)
    {
        var run = await ExternalTool.RunAsync(program, args, work, environment: environment, timeout: TimeSpan.FromSeconds(90));
        run.ExitCode.Should().Be(0, $"{Path.GetFileName(program)} {string.Join(' ', args)} failed: {run}\n{logs}");
        return run.Stdout;
    }

    /// <summary>The <c>export NAME=value</c> lines of the operator file, as a shell sourcing it would set them.</summary>
    private static Dictionary<string, string> Exports(string file) =>
        File.ReadLines(file).Where(l => l.StartsWith("export ", StringComparison.Ordinal))
            .Select(l => l["export ".Length..].Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    [Test]
    public async Task A_fresh_all_in_one_serves_swift_and_openstack_clients_with_nothing_configured()
    {
        var swift = ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        var openstack = ExternalTool.Require("/usr/bin/openstack", "python3-openstackclient");
        var proxyPort = FreePort.Next();
        await using var cloud = await ApiCloud.StartAsync(roles: "api,glance,swift-proxy,swift-storage", extraFlags: [.. SwiftPorts(proxyPort), .. Intervals]);
        using var http = new HttpClient();
        await Poller.UntilAsync(() => SwiftCluster.AnswersAsync(http, $"http://127.0.0.1:{proxyPort}/healthcheck"), TimeSpan.FromSeconds(60), "the swift proxy");
        var work = Path.Combine(cloud.StatePath, "work");
        Directory.CreateDirectory(work);
        await File.WriteAllTextAsync(Path.Combine(work, "note.txt"), "first run");

        var operatorFile = Path.Combine(cloud.StatePath, "swift-operator.rc");
        File.GetUnixFileMode(operatorFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var env = Exports(operatorFile);
        env["ST_AUTH"].Should().Be($"http://127.0.0.1:{proxyPort}/auth/v1.0");
        (await RunAsync(swift, ["stat"], work, env, cloud.Logs)).Should().Contain("Account: AUTH_system");
        await RunAsync(swift, ["upload", "docs", "note.txt"], work, env, cloud.Logs);
        await RunAsync(swift, ["download", "docs", "note.txt", "-o", "back.txt"], work, env, cloud.Logs);
        (await File.ReadAllTextAsync(Path.Combine(work, "back.txt"))).Should().Be("first run");

        var keystone = new Dictionary<string, string>
        {
            ["OS_AUTH_URL"] = $"{cloud.KeystoneUrl}/v3", ["OS_USERNAME"] = "alice", ["OS_PASSWORD"] = ApiCloud.UserPassword,
            ["OS_PROJECT_NAME"] = "other", ["OS_USER_DOMAIN_NAME"] = "Default", ["OS_PROJECT_DOMAIN_NAME"] = "Default", ["OS_IDENTITY_API_VERSION"] = "3",
        };
        await RunAsync(openstack, ["container", "create", "alices"], work, keystone, cloud.Logs);
        await RunAsync(openstack, ["object", "create", "alices", "note.txt"], work, keystone, cloud.Logs);
        (await RunAsync(openstack, ["object", "list", "alices", "-f", "value"], work, keystone, cloud.Logs)).Should().Contain("note.txt");

        await Poller.UntilAsync(() => Task.FromResult(cloud.Logs.Contains("object-replicator pass: 2 checked", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), "a replicator pass over both accounts' objects");
        var logs = cloud.Logs + cloud.Output;
        logs.Should().NotContain("   at ", "no role logs a stack trace").And.NotContain(env["ST_KEY"], "the generated key is only in the operator file");
        logs.Should().Contain($". {operatorFile} && swift stat", "the operator is told once how to use the generated user");
    }

    [Test]
    public async Task A_storage_role_without_rings_says_once_in_one_line_what_to_do()
    {
        using var dir = new TempDir();
        var logs = Path.Combine(dir.Path, "log");
        string[] flags = [$"--state_path={dir.Path}", $"--logdir={logs}", .. SwiftPorts(FreePort.Next()), .. Intervals];
        (await CloudProcess.RunAsync(["manage", "db", "sync", .. flags])).ExitCode.Should().Be(0);
        await using var storage = CloudProcess.Start(["--roles=swift-storage", .. flags]);
        string Log() => File.Exists(Path.Combine(logs, "swift.log")) ? File.ReadAllText(Path.Combine(logs, "swift.log")) : "";
        string[] daemons = ["object-replicator", "container-replicator", "account-replicator", "container-updater", "account-reaper"];

        // Every daemon has said it, and three more passes have gone by (the auditor needs no ring and logs each pass).
        await Poller.UntilAsync(() => Task.FromResult(daemons.All(d => Log().Contains($"{d} waits for its ring", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(60), "every daemon to report the missing rings");
        var auditorPasses = Log().Split("object-auditor pass:").Length;
        await Poller.UntilAsync(() => Task.FromResult(Log().Split("object-auditor pass:").Length >= auditorPasses + 3),
            TimeSpan.FromSeconds(60), "three more passes");

        var log = Log();
        log.Should().NotContain("   at ").And.NotContain("Exception");
        foreach (var daemon in daemons)
        {
            log.Split('\n').Count(l => l.Contains($"{daemon} waits for its ring", StringComparison.Ordinal)).Should().Be(1, log);
        }
        log.Should().Contain("cloudd ring");
    }
}
