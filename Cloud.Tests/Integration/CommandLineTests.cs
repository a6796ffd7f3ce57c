using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>The cloudd binary as an operator runs it: exit codes, one-line errors, help. SQLite only.</summary>
[Category("Integration")]
public sealed class CommandLineTests
{
    private TempDir _dir = null!;

    [SetUp]
    public void CreateDir() => _dir = new TempDir();

    [TearDown]
    public void DeleteDir() => _dir.Dispose();

    private string StatePath => $"--state_path={_dir.Path}";

    [TestCase("--help", "manage")]
    [TestCase("manage --help", "db")]
    [TestCase("manage db --help", "sync")]
    [TestCase("manage service --help", "list")]
    [TestCase("manage rpc --help", "ping")]
    [TestCase("bench --help", "startup")]
    public async Task Help_is_available_everywhere(string args, string mentions)
    {
        var (code, stdout, _) = await CloudProcess.RunAsync(args.Split(' '));

        code.Should().Be(0);
        stdout.Should().Contain(mentions);
    }

    [TestCase("--roles=computer", "--roles: unknown role 'computer'")]
    [TestCase("--roles=all --report_interval=soon", "command line: --report_interval takes an integer, not 'soon'")]
    [TestCase("--roles=all --flagfile=/nonexistent.conf", "flagfile /nonexistent.conf does not exist")]
    [TestCase("--roles=all --no_such_flag=1", "unknown flag --no_such_flag")]
    [TestCase("manage db sync --sql_connection=oracle://x/y", "unsupported database 'oracle'")]
    [TestCase("--roles=compute --report_interval=60", "--service_down_time=15: must be longer than --report_interval=60")]
    [TestCase("--roles=compute --log_format=xml", "--log_format=xml: use text or json")]
    public async Task A_usage_error_is_one_line_naming_the_problem_with_exit_code_2(string args, string message)
    {
        var (code, stdout, stderr) = await CloudProcess.RunAsync(args.Split(' '));

        code.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().StartWith("cloudd: error: ").And.Contain(message).And.EndWith("\n");
        stderr.TrimEnd('\n').Should().NotContain("\n", "errors are one line");
    }

    [Test]
    public async Task A_bad_line_in_a_flagfile_names_the_file_and_line()
    {
        var file = _dir.File("cloudd.conf", "--verbose\n--network_size=big\n");

        var (code, _, stderr) = await CloudProcess.RunAsync("--roles=compute", $"--flagfile={file}");

        code.Should().Be(2);
        stderr.Should().Be($"cloudd: error: {file}:2: --network_size takes an integer, not 'big'\n");
    }

    [Test]
    public async Task A_role_refuses_to_start_on_an_unsynced_database_and_says_to_run_db_sync()
    {
        var (code, _, stderr) = await CloudProcess.RunAsync("--roles=compute", StatePath);

        code.Should().Be(1);
        stderr.Should().Contain("cloudd: error: database sqlite:///").And.Contain("is at schema version 0").And.Contain("run 'cloudd manage db sync'");
    }

    [Test]
    public async Task Db_sync_is_idempotent_and_db_version_prints_the_version()
    {
        (await CloudProcess.RunAsync("manage", "db", "sync", StatePath)).Stdout.Should().StartWith("database upgraded to version");
        var again = await CloudProcess.RunAsync("manage", "db", "sync", StatePath);
        var version = await CloudProcess.RunAsync("manage", "db", "version", StatePath);

        again.ExitCode.Should().Be(0);
        again.Stdout.Should().StartWith("database is up to date at version");
        version.Stdout.Trim().Should().Be(Cloud.Modules.Kernel.Db.MigrationCatalog.Latest.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Test]
    public async Task Json_logs_are_one_structured_event_per_line_with_role_and_request_id()
    {
        var (code, _, stderr) = await CloudProcess.RunAsync("manage", "db", "sync", StatePath, "--log_format=json");

        code.Should().Be(0);
        var line = stderr.Split('\n').First(l => l.Contains("applied migration", StringComparison.Ordinal));
        var json = System.Text.Json.JsonDocument.Parse(line).RootElement;
        json.GetProperty("@mt").GetString().Should().Be("applied migration {Version} ({Name})");
        json.GetProperty("Version").GetInt32().Should().Be(1);
        json.GetProperty("RequestId").GetString().Should().Be("-");
        json.GetProperty("Role").GetString().Should().Be("cloudd");
        json.TryGetProperty("@t", out _).Should().BeTrue();
    }

    [Test]
    public async Task An_unreachable_database_is_one_line_without_the_password()
    {
        var (code, _, stderr) = await CloudProcess.RunAsync("manage", "db", "version", "--sql_connection=mysql://root:topsecret@127.0.0.1:1/nova");

        code.Should().Be(1);
        stderr.Should().StartWith("cloudd: error: cannot connect to mysql://root:***@127.0.0.1:1/nova").And.NotContain("topsecret");
    }

    [Test]
    public async Task Manage_flags_lists_every_flag_with_default_and_help_and_masks_secrets()
    {
        var (code, stdout, _) = await CloudProcess.RunAsync("manage", "flags", "--rabbit_password=topsecret", "--report_interval=5");

        code.Should().Be(0);
        stdout.Should().Contain("--report_interval=3").And.Contain("Seconds between a service's heartbeats")
            .And.Contain("set to 5 at command line").And.Contain("--sql_connection=sqlite:///$state_path/cloudd.sqlite")
            .And.Contain("--rabbit_password=***").And.NotContain("topsecret");
    }

    [Test]
    public async Task Service_commands_refuse_an_unknown_service()
    {
        await CloudProcess.RunAsync("manage", "db", "sync", StatePath);

        var (code, _, stderr) = await CloudProcess.RunAsync("manage", "service", "disable", "nohost", "cloudd-compute", StatePath);

        code.Should().Be(1);
        stderr.Should().Be("cloudd: error: no service cloudd-compute on host nohost\n");
    }

    [Test]
    public async Task A_daemon_writes_its_pidfile_and_removes_it_when_it_stops()
    {
        var pidfile = Path.Combine(_dir.Path, "run", "cloudd.pid");
        await CloudProcess.RunAsync("manage", "db", "sync", StatePath);

        var (code, _, stderr) = await CloudProcess.RunAsync("--roles=scheduler", "--daemonize", $"--pidfile={pidfile}", StatePath, $"--logdir={_dir.Path}");
        code.Should().Be(0, stderr);
        await Poller.UntilAsync(() => File.Exists(pidfile), TimeSpan.FromSeconds(30), "the detached cloudd's pidfile");
        var pid = int.Parse((await File.ReadAllTextAsync(pidfile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        System.Diagnostics.Process.GetProcessById(pid).HasExited.Should().BeFalse();

        (await ExternalTool.RunAsync("/bin/kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], _dir.Path)).ExitCode.Should().Be(0);

        await Poller.UntilAsync(() => !File.Exists(pidfile), TimeSpan.FromSeconds(30), "the pidfile to go when the daemon stops");
    }

    [Test]
    public async Task A_port_in_use_is_one_line_naming_the_flag_and_port_with_exit_code_2()
    {
        await CloudProcess.RunAsync("manage", "db", "sync", StatePath);
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var (code, stdout, stderr) = await CloudProcess.RunAsync("--roles=glance", StatePath, "--glance_listen=127.0.0.1", $"--glance_port={port}");

        code.Should().Be(2);
        stderr.Should().EndWith($"\ncloudd: error: Glance cannot listen on 127.0.0.1:{port}: the address is already in use "
            + "(another process holds it; choose another --glance_port or stop that process)\n");
        (stdout + stderr).Should().NotContain("   at ", "an operator's mistake is no crash: no stack trace in the log either");
    }

    [Test]
    public async Task The_network_role_refuses_a_state_path_dnsmasq_cannot_enter()
    {
        var closed = Directory.CreateDirectory(Path.Combine(_dir.Path, "private"));
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("dnsmasq and its nobody user are Linux's");
            return;
        }
        File.SetUnixFileMode(closed.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var state = $"--state_path={Path.Combine(closed.FullName, "state")}";
        await CloudProcess.RunAsync("manage", "db", "sync", state);

        var (code, _, stderr) = await CloudProcess.RunAsync("--roles=network", state);

        code.Should().Be(2);
        var error = stderr.TrimEnd('\n').Split('\n')[^1];
        error.Should().StartWith("cloudd: error: dnsmasq runs as nobody and cannot read its files under ")
            .And.Contain($"{closed.FullName} is mode 0700").And.Contain("--state_path");
    }
}
