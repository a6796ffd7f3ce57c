using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cloud.Tests.Support;

/// <summary>A real program a test keeps running in the background (socat, a DHCP client…); disposing kills it.</summary>
public sealed class BackgroundTool : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private BackgroundTool(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGTERM; waits up to <paramref name="timeout"/> for the program to end (disposing kills what is left).</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            PosixSignal.Send(_process.Id, PosixSignal.Term);
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                // Still running: DisposeAsync kills it.
            }
        }
    }

    public string Output => string.Join('\n', _output);

    public static BackgroundTool Start(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return new BackgroundTool(Process.Start(start)!);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
