using System.Net;
using System.Net.Sockets;

namespace Cloud.Modules.Kernel;

/// <summary>This host's primary IPv4 address, as nova's default for <c>my_ip</c> finds it.</summary>
public static class HostAddress
{
    /// <summary>
    /// The source address the kernel picks for the default route: connecting a UDP socket only selects a route,
    /// it sends nothing. 127.0.0.1 on a host without a default route.
    /// </summary>
    public static string Primary()
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 9));
            return ((IPEndPoint)socket.LocalEndPoint!).Address.ToString();
        }
        catch (SocketException)
        {
            return IPAddress.Loopback.ToString();
        }
    }
}
