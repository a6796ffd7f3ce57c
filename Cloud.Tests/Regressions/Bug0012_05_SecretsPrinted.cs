using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12, hole 5: <c>swift_tempauth_users</c> (which holds keys) and the swift hash path salts were printed by
/// <c>manage flags</c> and in the debug log of every role. Every secret-bearing flag is now masked; this runs the
/// operator commands and the roles with known secret values, debug logging on, and greps everything they print
/// and log for those values.
/// </summary>
[NonParallelizable]
[Category("Integration")]
public sealed class Bug0012_05_SecretsPrinted
{
    private static readonly string Tag = Guid.NewGuid().ToString("N")[..10];
    private static readonly string TempauthKey = $"TempauthKey{Tag}";
    private static readonly string HashPrefix = $"HashPrefix{Tag}";
    private static readonly string HashSuffix = $"HashSuffix{Tag}";
    private static readonly string RabbitPassword = $"RabbitPw{Tag}";
    private static readonly string StoreKey = $"StoreKey{Tag}";
    private static readonly string SqlPassword = $"SqlPw{Tag}";
    private static readonly string UserPassword = $"UserPw{Tag}";

    private static IEnumerable<string> AllSecrets => [TempauthKey, HashPrefix, HashSuffix, RabbitPassword, StoreKey, SqlPassword, UserPassword];

    private readonly TempDir _dir = new();
    private readonly List<(string What, string Text)> _printed = [];

    [TearDown]
    public void Clean() => _dir.Dispose();

    private string LogDir => Path.Combine(_dir.Path, "log");

    /// <summary>The secret flags, debug logging, and this test's own state, logs and loopback ports.</summary>
    private string[] Flags(string? sqlConnection = null) =>
    [
        $"--state_path={_dir.Path}", $"--logdir={LogDir}", "--verbose=true",
        $"--sql_connection={sqlConnection ?? $"sqlite:///{_dir.Path}/cloudd.sqlite"}",
        $"--swift_tempauth_users=system:root:{TempauthKey}:.admin,test:tester:{TempauthKey}x",
        $"--swift_hash_path_prefix={HashPrefix}", $"--swift_hash_path_suffix={HashSuffix}",
        $"--rabbit_password={RabbitPassword}", $"--swift_store_key={StoreKey}",
        "--compute_driver=fake", "--cc_host=127.0.0.1",
        "--keystone_listen=127.0.0.1", $"--keystone_port={FreePort.Next()}", "--ec2_listen=127.0.0.1", $"--ec2_listen_port={FreePort.Next()}",
        "--glance_listen=127.0.0.1", $"--glance_port={FreePort.Next()}", "--osapi_compute_listen=127.0.0.1", $"--osapi_compute_listen_port={FreePort.Next()}",
        "--osapi_volume_listen=127.0.0.1", $"--osapi_volume_listen_port={FreePort.Next()}",
        "--metadata_listen=127.0.0.1", $"--metadata_port={FreePort.Next()}", $"--swift_proxy_bind=127.0.0.1:{FreePort.Next()}",
        "--swift_storage_listen=127.0.0.1", $"--swift_object_port={FreePort.Next()}", $"--swift_container_port={FreePort.Next()}",
        $"--swift_account_port={FreePort.Next()}", $"--swift_dir={_dir.Path}/swift", $"--swift_devices={_dir.Path}/node", "--swift_mount_check=false",
    ];

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] args, string? sqlConnection = null)
    {
        var run = await CloudProcess.RunAsync([.. args, .. Flags(sqlConnection)]);
        _printed.Add(($"cloudd {string.Join(' ', args)}", run.Stdout + "\n" + run.Stderr));
        return run;
    }

    [Test]
    public async Task No_command_or_role_prints_or_logs_a_secret()
    {
        string[][] commands =
        [
            ["--help"], ["manage", "--help"], ["manage", "flags"], ["manage", "db", "sync"], ["manage", "db", "version"],
            ["manage", "user", "admin", "root", $"--password={UserPassword}"], ["manage", "user", "create", "bob", $"--password={UserPassword}"],
            ["manage", "user", "list"], ["manage", "project", "create", "proj", "root"], ["manage", "project", "list"],
            ["manage", "service", "list"], ["manage", "flavor", "list"], ["manage", "network", "list"],
            ["ring", "--help"], ["glance", "--help"], ["swift", "--help"], ["bench", "--help"],
        ];
        foreach (var command in commands)
        {
            await RunAsync(command);
        }
        var flags = await RunAsync(["manage", "flags"]);
        // swift_tempauth_users has no default (an empty one is shown as it is); what was set shows as ***.
        flags.Stdout.Should().MatchRegex(@"--swift_tempauth_users=\n.*\n\s+set to \*\*\* at command line").And.Contain("--swift_hash_path_suffix=***");

        // A database the command cannot reach: its password is in the URL the error names.
        var unreachable = $"mysql://cloudd:{SqlPassword}@127.0.0.1:1/cloudd";
        await RunAsync(["manage", "db", "version"], unreachable);
        await RunAsync(["manage", "flags"], unreachable);
        await RunAsync(["--roles=api"], unreachable);

        // Network and volume run the host's real iptables/dnsmasq/LVM, so they are not started on a shared test host;
        // every role logs the same registry of flags, which the roles below do.
        foreach (var roles in new[] { "api,scheduler,compute,glance", "swift-proxy", "swift-storage" })
        {
            await RunRoleAsync(roles);
        }

        var logs = Directory.Exists(LogDir) ? Directory.GetFiles(LogDir, "*", SearchOption.AllDirectories).Select(f => (f, File.ReadAllText(f))).ToList() : [];
        logs.Should().Contain(l => l.Item2.Contains("flag --swift_hash_path_suffix=***", StringComparison.Ordinal), "the debug log lists the flags, masked");
        foreach (var (what, text) in _printed.Concat(logs))
        {
            foreach (var secret in AllSecrets)
            {
                text.Should().NotContain(secret, $"{what} printed a secret");
            }
        }
    }

    /// <summary>Starts the roles and lets them run until their start-up (flags included) is logged, or they exit.</summary>
    private async Task RunRoleAsync(string roles)
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "node"));
        await using var process = CloudProcess.Start([$"--roles={roles}", .. Flags()]);
        await Poller.UntilAsync(() => Task.FromResult(process.HasExited
            || (Directory.Exists(LogDir) && Directory.GetFiles(LogDir).Any(f => ReadShared(f).Contains("flag --swift_hash_path_suffix", StringComparison.Ordinal)))),
            TimeSpan.FromSeconds(60), $"cloudd --roles={roles} to log its flags");
        if (!process.HasExited)
        {
            process.Terminate();
            await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }
        _printed.Add(($"cloudd --roles={roles}", process.Output));
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }
}
