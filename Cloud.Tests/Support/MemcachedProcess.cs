using System.Diagnostics;
using System.Net.Sockets;

namespace Cloud.Tests.Support;

/// <summary>A real memcached (Debian's package) of this test's own, on a free loopback port.</summary>
public sealed class MemcachedProcess : IAsyncDisposable
{
    private readonly Process _process;

    private MemcachedProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The value of <c>--memcache_servers</c> that reaches it.</summary>
    public string Servers => $"127.0.0.1:{Port}";

    public static async Task<MemcachedProcess> StartAsync()
    {
        var program = ExternalTool.Require("memcached", "memcached");
        var port = FreePort.Next();
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-l", "127.0.0.1", "-p", port.ToString(), "-U", "0", "-m", "64", "-u", "root" })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        await Poller.UntilAsync(async () =>
        {
            using var tcp = new TcpClient();
            try
            {
                await tcp.ConnectAsync("127.0.0.1", port);
                return true;
            }
            catch (SocketException)
            {
                return process.HasExited ? throw new InvalidOperationException($"memcached exited: {await process.StandardError.ReadToEndAsync()}") : false;
            }
        }, TimeSpan.FromSeconds(10), "memcached listening");
        return new MemcachedProcess(process, port);
    }

    /// <summary>Kills it now, as a crash would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
