using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Kernel.Service;

/// <summary>
/// nova's <c>Service</c>: runs one role's manager. Consumes <c>role</c>, <c>role.host</c> and the role's fanout,
/// keeps the services row fresh every <c>report_interval</c> while it is on the bus (a role that cannot reach the
/// broker must look down, not up), reports the manager's <see cref="IReportsState"/> every <see cref="StateReportEvery"/>,
/// runs periodic tasks every <c>periodic_interval</c>, and on stop finishes in-flight messages before leaving the bus
/// and marks itself stopped.
/// </summary>
public sealed partial class RpcServiceHost(
    string role,
    IRpcEndpoint manager,
    IRpcBus bus,
    ServiceGroup services,
    IOptions<CommonFlags> flags,
    ILogger<RpcServiceHost> log) : BackgroundService
{
    /// <summary>
    /// How often the manager's own state (a compute host's capacity) is reported: heartbeats are every few seconds so
    /// that a dead host is noticed quickly, but the state they carried at nova's 10 s is fresh enough.
    /// </summary>
    public static readonly TimeSpan StateReportEvery = TimeSpan.FromSeconds(10);

    // Logs the first failed heartbeat of an outage and the first good one after it, not every tick between.
    private bool _reportFailing;
    // Logs once when the heartbeat pauses because the role is off the bus, and once when it resumes.
    private bool _offTheBus;
    private DateTime _lastStateReport = DateTime.MinValue;

    public string Role => role;

    public ServiceEndpoint? Endpoint { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var scope = log.BeginScope(LogScopes.Role(role));
        var f = flags.Value;
        var binary = ServiceGroup.BinaryOf(role);
        Endpoint = new ServiceEndpoint(role, f.Host, manager, log);
        // On the bus first: the services row says "up" only once messages can reach this role.
        var subscription = await bus.ServeAsync(role, f.Host, Endpoint, stoppingToken).ConfigureAwait(false);
        try
        {
            // This role's own consumers are up (ServeAsync returned), even if the bus as a whole is still restoring
            // other roles' consumers: its first heartbeat must not wait a report_interval for them.
            await ReportAsync(binary, f, stoppingToken, onTheBus: true).ConfigureAwait(false);
            LogStarted(binary, f.Host, role);
            await RunAsync(binary, f, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            await MarkStoppedAsync(binary, f.Host).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(string binary, CommonFlags f, CancellationToken stoppingToken)
    {
        var heartbeat = HeartbeatAsync(binary, f, stoppingToken);
        var periodic = manager is IPeriodicTasks tasks ? PeriodicAsync(tasks, f, stoppingToken) : Task.CompletedTask;
        try
        {
            await Task.WhenAll(heartbeat, periodic).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        LogStopping(binary, f.Host);
    }

    private async Task HeartbeatAsync(string binary, CommonFlags f, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, f.ReportInterval)));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await ReportAsync(binary, f, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task ReportAsync(string binary, CommonFlags f, CancellationToken stoppingToken, bool onTheBus = false)
    {
        if (!onTheBus && !bus.IsConnected)
        {
            // No heartbeat while off the bus: after service_down_time the role shows down and nothing is sent to it.
            if (!_offTheBus)
            {
                _offTheBus = true;
                LogOffTheBus(binary);
            }
            return;
        }
        if (_offTheBus)
        {
            _offTheBus = false;
            LogBackOnTheBus(binary);
        }
        try
        {
            await services.ReportAsync(binary, f.Host, role, f.NodeAvailabilityZone, stoppingToken).ConfigureAwait(false);
            if (manager is IReportsState state && DateTime.UtcNow - _lastStateReport >= StateReportEvery)
            {
                await state.ReportStateAsync(stoppingToken).ConfigureAwait(false);
                _lastStateReport = DateTime.UtcNow;
            }
            if (_reportFailing)
            {
                _reportFailing = false;
                LogReportRecovered(binary);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database being away must not stop the service: it keeps serving the bus and reports again next tick.
            _reportFailing = true;
            LogReportFailed(binary, e.Message);
        }
    }

    private async Task MarkStoppedAsync(string binary, string host)
    {
        // Bounded: a database that is away must not hold up the process's exit.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await services.MarkStoppedAsync(binary, host, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogMarkStoppedFailed(binary, e.Message);
        }
    }

    private async Task PeriodicAsync(IPeriodicTasks tasks, CommonFlags f, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, f.PeriodicInterval)));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await tasks.RunPeriodicTasksAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPeriodicFailed(e, role);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Binary} started on host {Host}, consuming topic {Topic}")]
    private partial void LogStarted(string binary, string host, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Binary} on host {Host} stopping")]
    private partial void LogStopping(string binary, string host);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Binary}: cannot report state to the database: {Reason}")]
    private partial void LogReportFailed(string binary, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Binary}: off the message bus: heartbeats paused, the service will show down")]
    private partial void LogOffTheBus(string binary);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Binary}: back on the message bus: heartbeats resumed")]
    private partial void LogBackOnTheBus(string binary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Binary}: could not mark the service stopped: {Reason}")]
    private partial void LogMarkStoppedFailed(string binary, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Binary}: reporting state to the database again")]
    private partial void LogReportRecovered(string binary);

    [LoggerMessage(Level = LogLevel.Error, Message = "periodic tasks of {Role} failed")]
    private partial void LogPeriodicFailed(Exception error, string role);
}
