using System.Diagnostics;
using Cloud.Modules.Kernel.Host;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Network.Drivers;

/// <summary>
/// One dnsmasq serving one bridge, run in the foreground as a child of the network role so the role supervises it:
/// restarted when it dies, HUPed when its hosts file changes, stopped with the role.
/// </summary>
internal sealed partial class DnsmasqProcess(CommandRunner runner, IReadOnlyList<string> command, string bridge, ILogger log) : IDisposable
{
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private Process? _process;
    private bool _stopped;

    /// <summary>The dnsmasq's process id, or null while it is not running.</summary>
    public int? Pid
    {
        get
        {
            lock (_gate)
            {
                return _process is { HasExited: false } p ? p.Id : null;
            }
        }
    }

    /// <summary>The command line this process runs; a network whose settings changed needs a new process.</summary>
    public IReadOnlyList<string> Command => command;

    public void Start()
    {
        lock (_gate)
        {
            if (_stopped || _process is { HasExited: false })
            {
                return;
            }
            var info = runner.StartInfo(command);
            info.RedirectStandardOutput = false;
            info.RedirectStandardError = false;
            var process = new Process { StartInfo = info, EnableRaisingEvents = true };
            process.Exited += (_, _) => OnExited(process);
            LogStarting(bridge, runner.Line(command));
            process.Start();
            _process = process;
        }
    }

    /// <summary>Makes dnsmasq re-read its hosts file.</summary>
    public void Reload()
    {
        if (Pid is { } pid)
        {
            Signals.Send(pid, Signals.SigHup);
        }
    }

    public void Dispose()
    {
        Process? process;
        lock (_gate)
        {
            _stopped = true;
            process = _process;
            _process = null;
        }
        if (process is null)
        {
            return;
        }
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        process.Dispose();
        LogStopped(bridge);
    }

    private void OnExited(Process process)
    {
        lock (_gate)
        {
            if (_stopped || !ReferenceEquals(process, _process))
            {
                return;
            }
        }
        LogDied(bridge, process.ExitCode);
        _ = Task.Delay(RestartDelay).ContinueWith(_ => Start(), TaskScheduler.Default);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "starting dnsmasq for {Bridge}: {Command}")]
    private partial void LogStarting(string bridge, string command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "dnsmasq for {Bridge} exited with code {ExitCode}; restarting it")]
    private partial void LogDied(string bridge, int exitCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "dnsmasq for {Bridge} stopped")]
    private partial void LogStopped(string bridge);
}
