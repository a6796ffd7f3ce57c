using System.Diagnostics;
using System.Text.Json;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Service;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Separate cloudd processes sharing one real MariaDB and one real RabbitMQ, as the seed's hosts do:
/// services, heartbeats, the bus between processes, and surviving a RabbitMQ restart.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class TwoProcessTests
{
    private MySqlHarness _db = null!;
    private TempDir _dir = null!;
    private List<string> _flags = null!;
    private readonly List<CloudProcess> _processes = [];

    [SetUp]
    public async Task SetUpAsync()
    {
        _suffix = Guid.NewGuid().ToString("N")[..6];
        _db = new MySqlHarness();
        _dir = new TempDir();
        _flags = [$"--sql_connection={_db.SqlConnection}", "--report_interval=1", "--service_down_time=4", .. TestEnv.AmqpFlags()];
        var sync = await Cloudd("manage", "db", "sync");
        sync.ExitCode.Should().Be(0, sync.Stderr);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        foreach (var process in _processes)
        {
            if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
            {
                TestContext.Out.WriteLine($"--- cloudd pid {process.Id} output:\n{process.Output}");
            }
            await process.DisposeAsync();
        }
        // NUnit reuses the fixture instance for every test.
        _processes.Clear();
        await _db.DisposeAsync();
        _dir.Dispose();
    }

    // Queue names (compute.<host>) are global on a broker whatever the control_exchange: hosts are unique per test.
    private string _suffix = "";

    private string H(string name) => $"{name}-{_suffix}";

    private Task<(int ExitCode, string Stdout, string Stderr)> Cloudd(params string[] args) => CloudProcess.RunAsync([.. args, .. _flags]);

    // The compute role needs a driver; these tests are about services and the bus, so the test double will do.
    private const string FakeDriver = "--compute_driver=fake";

    private CloudProcess Start(string roles, string host, params string[] extra)
    {
        var process = CloudProcess.Start([$"--roles={roles}", $"--host={host}", .. _flags, .. extra]);
        _processes.Add(process);
        return process;
    }

    private async Task<Dictionary<string, string>> StatesAsync()
    {
        var list = await Cloudd("manage", "service", "list");
        return list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(c => $"{c[0]}@{c[1]}", c => c[4]);
    }

    private async Task<Pong> PingAsync(string topic)
    {
        var ping = await Cloudd("manage", "rpc", "ping", topic, "--json", "--timeout=20");
        ping.ExitCode.Should().Be(0, ping.Stderr);
        return JsonSerializer.Deserialize<Pong>(ping.Stdout, RpcCodec.Json)!;
    }

    [Test]
    public async Task Two_processes_show_up_in_service_list_and_a_killed_one_turns_down()
    {
        var compute = Start("compute", H("brontes"), FakeDriver);
        Start("scheduler", H("ares"));

        await Poller.UntilAsync(async () => await StatesAsync() is var s
            && s.GetValueOrDefault($"cloudd-compute@{H("brontes")}") == "up" && s.GetValueOrDefault($"cloudd-scheduler@{H("ares")}") == "up",
            TimeSpan.FromSeconds(60), "both services up");

        compute.KillHard();

        await Poller.UntilAsync(async () => (await StatesAsync()).GetValueOrDefault($"cloudd-compute@{H("brontes")}") == "down",
            TimeSpan.FromSeconds(30), "the killed compute service to turn down");
        (await StatesAsync())[$"cloudd-scheduler@{H("ares")}"].Should().Be("up");
    }

    [Test]
    public async Task Call_cast_and_fanout_cross_between_separate_processes()
    {
        Start("compute", H("brontes"), FakeDriver);
        Start("compute", H("hades"), FakeDriver);
        await Poller.UntilAsync(async () => (await Cloudd("manage", "rpc", "ping", $"compute.{H("hades")}", "--timeout=2")).ExitCode == 0,
            TimeSpan.FromSeconds(60), "compute on hades to answer");

        var pong = await PingAsync($"compute.{H("brontes")}");
        pong.Host.Should().Be(H("brontes"));
        pong.Binary.Should().Be("cloudd-compute");

        (await Cloudd("manage", "rpc", "cast", $"compute.{H("brontes")}", "--count=50")).ExitCode.Should().Be(0);
        (await Cloudd("manage", "rpc", "fanout", "compute", "--count=3")).ExitCode.Should().Be(0);

        await Poller.UntilAsync(async () => (await PingAsync($"compute.{H("brontes")}")).DistinctNoops == 53, TimeSpan.FromSeconds(30), "50 casts and 3 fanouts on brontes");
        await Poller.UntilAsync(async () => (await PingAsync($"compute.{H("hades")}")).DistinctNoops == 3, TimeSpan.FromSeconds(30), "3 fanouts on hades");
    }

    [Test]
    public async Task A_call_to_a_topic_nobody_consumes_fails_with_a_clear_timeout()
    {
        var (code, _, stderr) = await Cloudd("manage", "rpc", "ping", "compute.nobody", "--timeout=1");

        code.Should().Be(1);
        stderr.Should().Contain("cloudd: error: Timed out after 1s waiting for a reply to 'ping' on topic 'compute.nobody'");
    }

    [Test]
    public async Task Every_cast_arrives_and_both_processes_resume_when_rabbitmq_restarts_under_load()
    {
        var logs = Path.Combine(_dir.Path, "log");
        Start("compute", H("brontes"), FakeDriver, $"--logdir={logs}");
        await Poller.UntilAsync(async () => (await Cloudd("manage", "rpc", "ping", $"compute.{H("brontes")}", "--timeout=2")).ExitCode == 0,
            TimeSpan.FromSeconds(60), "compute on brontes to answer");

        const int casts = 400;
        var sender = CloudProcess.Start(["manage", "rpc", "cast", $"compute.{H("brontes")}", $"--count={casts}", .. _flags]);
        _processes.Add(sender);
        await Poller.UntilAsync(async () => (await PingAsync($"compute.{H("brontes")}")).DistinctNoops >= 20, TimeSpan.FromSeconds(60), "casts flowing");

        var restart = Process.Start("bash", ["-c", TestEnv.AmqpRestartCommand])!;
        await restart.WaitForExitAsync();
        restart.ExitCode.Should().Be(0, "the RabbitMQ restart command must succeed");

        (await sender.WaitForExitAsync(TimeSpan.FromMinutes(3))).Should().Be(0, sender.Output);
        await Poller.UntilAsync(async () => (await PingAsync($"compute.{H("brontes")}")).DistinctNoops == casts, TimeSpan.FromSeconds(60), $"all {casts} casts delivered");
        (await File.ReadAllTextAsync(Path.Combine(logs, "compute.log"))).Should().MatchRegex(@"AMQP server on [^ ]+:\d+ is unreachable\. Trying again in \d+ seconds\.");
    }
}
