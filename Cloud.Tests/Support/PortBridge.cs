using System.Net.Sockets;

namespace Cloud.Tests.Support;

/// <summary>
/// Joins 127.0.0.1:port in the machine's namespace and 127.0.0.1:port in a test's network namespace through a unix
/// socket (two real socat processes), so neither side listens anywhere but loopback: <see cref="ExposeAsync"/> lets
/// the tests and the clients reach a cloudd that runs inside the namespace; <see cref="ImportAsync"/> lets a cloudd
/// inside reach the test MariaDB and RabbitMQ outside. The same port on both sides keeps every URL valid on both.
/// </summary>
public sealed class PortBridge : IAsyncDisposable
{
    private readonly BackgroundTool _inner;
    private readonly BackgroundTool _outer;

    private PortBridge(BackgroundTool inner, BackgroundTool outer)
    {
        _inner = inner;
        _outer = outer;
    }

    /// <summary>Makes 127.0.0.1:<paramref name="port"/> inside <paramref name="ns"/> reachable at 127.0.0.1:<paramref name="port"/> outside.</summary>
    public static async Task<PortBridge> ExposeAsync(NetworkNamespace ns, int port, string socketDirectory)
    {
        var socat = ExternalTool.Require("socat", "socat");
        var socket = Path.Combine(socketDirectory, $"expose-{port}.sock");
        var inner = BackgroundTool.Start(ns.Prefix[0], [.. ns.Prefix.Skip(1), socat, $"UNIX-LISTEN:{socket},fork,unlink-early", $"TCP:127.0.0.1:{port}"]);
        await Poller.UntilAsync(() => Task.FromResult(File.Exists(socket) || inner.HasExited), TimeSpan.FromSeconds(10), $"socat listening on {socket}");
        var outer = BackgroundTool.Start(socat, [$"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork", $"UNIX-CONNECT:{socket}"]);
        await Poller.UntilAsync(() => ListeningAsync(port), TimeSpan.FromSeconds(10), $"socat listening on 127.0.0.1:{port}");
        return new PortBridge(inner, outer);
    }

    /// <summary>Makes 127.0.0.1:<paramref name="port"/> outside reachable at 127.0.0.1:<paramref name="port"/> inside <paramref name="ns"/>.</summary>
    public static async Task<PortBridge> ImportAsync(NetworkNamespace ns, int port, string socketDirectory)
    {
        var socat = ExternalTool.Require("socat", "socat");
        var socket = Path.Combine(socketDirectory, $"import-{ns.Name}-{port}.sock");
        var outer = BackgroundTool.Start(socat, [$"UNIX-LISTEN:{socket},fork,unlink-early", $"TCP:127.0.0.1:{port}"]);
        await Poller.UntilAsync(() => Task.FromResult(File.Exists(socket) || outer.HasExited), TimeSpan.FromSeconds(10), $"socat listening on {socket}");
        var inner = BackgroundTool.Start(ns.Prefix[0], [.. ns.Prefix.Skip(1), socat, $"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork", $"UNIX-CONNECT:{socket}"]);
        await Poller.UntilAsync(async () => (await ns.ExecAsync(socat, ["-u", "OPEN:/dev/null", $"TCP:127.0.0.1:{port}"])).ExitCode == 0,
            TimeSpan.FromSeconds(10), $"socat listening on 127.0.0.1:{port} in {ns.Name}");
        return new PortBridge(inner, outer);
    }

    private static async Task<bool> ListeningAsync(int port)
    {
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _outer.DisposeAsync();
        await _inner.DisposeAsync();
    }
}
