using System.Diagnostics;
using System.Text.Json;
using Dapper;
using FluentAssertions;

namespace Cloud.Tests.Support;

/// <summary>
/// The layout issue 15's fault experiments run on, as separate cloudd PROCESSES: one controller (api, scheduler,
/// glance) and two compute hosts (the fake driver, a test double, keeping its guests in a file per host), all on
/// MariaDB and RabbitMQ that the test may stop and start: <c>CLOUD_TEST_SERVICES_CTL</c>, the
/// scripts/test-services.sh of a private set (never the shared one). Short timeouts by flag (<see cref="FaultFlags"/>).
/// </summary>
public sealed class FaultCloud : IAsyncDisposable
{
    public const string ServicesCtlVariable = "CLOUD_TEST_SERVICES_CTL";

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..6];
    private readonly TempDir _dir = new();
    private readonly Dictionary<string, IReadOnlyList<string>> _computeArgs = [];
    private readonly string _servicesCtl;

    private FaultCloud(string servicesCtl, MySqlHarness db, IReadOnlyList<string> flags)
    {
        _servicesCtl = servicesCtl;
        Db = db;
        Flags = flags;
    }

    public MySqlHarness Db { get; }

    /// <summary>The flags every process of this cloud runs with (the bus, the short timeouts).</summary>
    public IReadOnlyList<string> Flags { get; }

    /// <summary>The controller process and the clients and accounts around it.</summary>
    public ComputeApiCloud Cloud { get; private set; } = null!;

    /// <summary>The compute hosts by name, with their running process.</summary>
    public Dictionary<string, CloudProcess> Computes { get; } = [];

    public IEnumerable<string> HostNames => _computeArgs.Keys;

    public static async Task<FaultCloud> StartAsync()
    {
        var ctl = Environment.GetEnvironmentVariable(ServicesCtlVariable);
        if (string.IsNullOrWhiteSpace(ctl))
        {
            TestEnv.Unavailable($"set {ServicesCtlVariable} (scripts/test-services.sh up writes it) to a PRIVATE set of services: the fault tests stop and start them");
        }
        var flags = FaultFlags.All.Concat(TestEnv.AmqpFlags()).ToList();
        var cloud = new FaultCloud(ctl!, new MySqlHarness(), flags);
        try
        {
            await cloud.SetUpAsync();
        }
        catch
        {
            await cloud.DisposeAsync();
            throw;
        }
        return cloud;
    }

    private async Task SetUpAsync()
    {
        var api = await ApiCloud.StartAsync(Db.SqlConnection, "api,scheduler,glance", [.. Flags, $"--host=ctl-{_suffix}"]);
        Cloud = await ComputeApiCloud.AroundAsync(api, Db);
        await Cloud.UploadImageAsync();
        foreach (var name in new[] { $"cmp1-{_suffix}", $"cmp2-{_suffix}" })
        {
            var state = Path.Combine(_dir.Path, name);
            Directory.CreateDirectory(state);
            _computeArgs[name] =
            [
                "--roles=compute", $"--state_path={state}", $"--logdir={state}/log", $"--sql_connection={Db.SqlConnection}",
                "--compute_driver=fake", $"--fake_guests_file={GuestsFile(name)}", $"--host={name}",
                $"--glance_api_servers={new Uri(api.GlanceUrl).Authority}", .. Flags,
            ];
            StartCompute(name);
        }
        await Poller.UntilAsync(async () => (await ServiceStatesAsync()).Count(s => s.Binary == "nova-compute" && s.State == "up") == 2,
            TimeSpan.FromSeconds(90), "both compute hosts up in os-services");
    }

    /// <summary>Where the host's fake driver keeps its guests.</summary>
    public string GuestsFile(string host) => Path.Combine(_dir.Path, host, "fake-guests.json");

    public string ComputeLog(string host) =>
        Directory.Exists(Path.Combine(_dir.Path, host, "log")) ? string.Join('\n', Directory.GetFiles(Path.Combine(_dir.Path, host, "log")).Select(File.ReadAllText)) : "";

    /// <summary>The uuids of the guests the host's hypervisor (the fake driver's file) runs now.</summary>
    public IReadOnlyList<string> GuestUuids(string host)
    {
        var file = GuestsFile(host);
        if (!File.Exists(file))
        {
            return [];
        }
        return [.. JsonDocument.Parse(File.ReadAllText(file)).RootElement.EnumerateArray().Select(g => g.GetProperty("Uuid").GetString()!)];
    }

    /// <summary>Starts the host's compute process (again, after it was killed) with the same command line.</summary>
    public void StartCompute(string host) => Computes[host] = CloudProcess.Start(_computeArgs[host]);

    /// <summary>SIGKILL: the compute process dies mid-whatever; its guests (the file) stay, as a hypervisor's do.</summary>
    public async Task KillComputeAsync(string host)
    {
        Computes[host].KillHard();
        await Computes[host].DisposeAsync();
    }

    /// <summary>Runs a verb of the private services' test-services.sh (stop-mariadb, start-mariadb, restart-rabbitmq).</summary>
    public async Task ServicesAsync(string verb)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", $"{_servicesCtl} {verb}"]) { RedirectStandardError = true })!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, $"test-services.sh {verb}: {await stderr}");
    }

    /// <summary>The os-services rows (binary, host, state) as the admin sees them.</summary>
    public async Task<IReadOnlyList<(string Binary, string Host, string State)>> ServiceStatesAsync()
    {
        var admin = await Cloud.TokenAsync("berendt");
        var (status, body) = await Cloud.NovaAsync(admin, HttpMethod.Get, "/v2.1/os-services");
        if (status != 200)
        {
            return [];
        }
        return [.. ComputeApiCloud.Json(body).GetProperty("services").EnumerateArray()
            .Select(s => (s.GetProperty("binary").GetString()!, s.GetProperty("host").GetString()!, s.GetProperty("state").GetString()!))];
    }

    /// <summary>Rows of the cloud's database (the test reads what the APIs would only show piecemeal).</summary>
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? args = null)
    {
        await using var c = await Db.Db.OpenAsync(default);
        return [.. await c.QueryAsync<T>(sql, args)];
    }

    /// <summary>Everything the processes logged, for a failure's message.</summary>
    public string Logs => string.Join('\n', HostNames.Select(ComputeLog).Prepend(Cloud?.Cloud.Logs ?? ""));

    public async ValueTask DisposeAsync()
    {
        foreach (var compute in Computes.Values)
        {
            await compute.DisposeAsync();
        }
        if (Cloud is not null)
        {
            await Cloud.DisposeAsync(); // drops the database too
        }
        else
        {
            await Db.DisposeAsync();
        }
        _dir.Dispose();
    }
}
