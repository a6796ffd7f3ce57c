using System.Net;
using System.Net.Sockets;

namespace Cloud.Tests.Support;

/// <summary>A loopback port nothing listens on right now, for a server a test starts a moment later.</summary>
/// <remarks>
/// The port comes from below the kernel's ephemeral range (<c>ip_local_port_range</c>), never from inside it:
/// between asking and the server's bind, any outgoing connection on the machine may be given an ephemeral port,
/// and with hundreds of connections a second during the suite one did take a port handed out here
/// ("Glance cannot listen on 127.0.0.1:44725: the address is already in use"). Below the range only listeners
/// bind, and each port is handed out once per process, starting at a random place so that two test processes
/// on one machine rarely meet (a port in use is skipped either way). The range starts at 20000, above the fixed
/// ports of <c>scripts/test-services.sh</c> (13406, 14369, 15772), so a broker restarted by a test finds its port free.
/// </remarks>
public static class FreePort
{
    private const int Lowest = 20_000;
    private static readonly int Highest = EphemeralRangeStart() - 1;
    private static int _next = Random.Shared.Next(Lowest, Highest);
    private static readonly object Gate = new();

    public static int Next()
    {
        lock (Gate)
        {
            for (var tries = 0; tries < Highest - Lowest; tries++)
            {
                var port = _next;
                _next = port >= Highest ? Lowest : port + 1;
                if (CanListenOn(port))
                    return port;
            }
        }
        throw new InvalidOperationException($"no free loopback port between {Lowest} and {Highest}");
    }

    private static bool CanListenOn(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            socket.Listen();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port the kernel gives outgoing connections (32768 on Linux unless changed).</summary>
    private static int EphemeralRangeStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        var fields = File.Exists(range) ? File.ReadAllText(range).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : [];
        return fields.Length > 0 && int.TryParse(fields[0], out var start) && start > Lowest + 1000 ? start : 32768;
    }
}
