using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cloud.Tests.Support;

/// <summary>
/// A real <c>cloudd</c> process (the cloudd.dll built beside the tests), with its output captured.
/// Disposing kills it if it is still running.
/// </summary>
public sealed class CloudProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private CloudProcess(Process process)
    {
        _process = process;
        Id = process.Id;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "cloudd.dll");

    public int Id { get; }

    public bool HasExited => _process.HasExited;

    public string Output => string.Join('\n', _output);

    public static CloudProcess Start(IEnumerable<string> args, string? workingDirectory = null) =>
        new(Process.Start(StartInfo(args, workingDirectory))!);

    /// <summary>
    /// Starts cloudd inside a test's network namespace (<c>ip netns exec</c> execs it, so the pid is cloudd's own),
    /// with extra environment such as the hypervisor host's D-Bus address.
    /// </summary>
    public static CloudProcess StartIn(NetworkNamespace ns, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var start = StartInfo(args, null);
        start.FileName = ns.Prefix[0];
        foreach (var (i, word) in ns.Prefix.Skip(1).Append("dotnet").Index())
        {
            start.ArgumentList.Insert(i, word);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return new(Process.Start(start)!);
    }

    /// <summary>Runs cloudd to completion and returns its exit code, stdout and stderr.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        RunAsync(new Dictionary<string, string>(), args);

    /// <summary>Runs cloudd to completion with extra environment variables (e.g. DBUS_SYSTEM_BUS_ADDRESS).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = StartInfo(args, null);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> args, string? workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return start;
    }

    /// <summary>Sends SIGTERM, as an operator's kill or systemd stop does.</summary>
    public void Terminate() => PosixSignal.Send(_process.Id, PosixSignal.Term);

    /// <summary>SIGKILL: the process dies without any chance to clean up.</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
