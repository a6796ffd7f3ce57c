using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Cloud.Modules.Glance;

/// <summary>
/// How glance's endpoint receives: image bodies are gigabytes, and Kestrel takes a socket's bytes into 4 KiB blocks.
/// By default every receive is preceded by a zero-byte one (wait for data before taking a block, which saves memory on
/// idle keep-alive connections): two recvfrom calls per 4 KiB of an upload. Glance has few connections and long
/// bodies, so it takes the block at once.
/// </summary>
public static class GlanceTransport
{
    /// <summary>Applies the settings to glance's socket transport.</summary>
    public static void Configure(SocketTransportOptions sockets)
    {
        ArgumentNullException.ThrowIfNull(sockets);
        sockets.WaitForDataBeforeAllocatingBuffer = false;
    }
}
