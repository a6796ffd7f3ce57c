using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Cloud.Modules.Kernel.Http;

/// <summary>
/// A socket transport that takes its receive buffer at once. By default Kestrel precedes every receive with a
/// zero-byte one (it waits for data before taking a 4 KiB block, which saves memory on idle keep-alive connections):
/// two recvfrom calls per read. An endpoint whose connections are busy (image uploads, the Swift proxy and storage
/// servers under a stream of small requests) gains a system call per read for a block held by each idle connection:
/// one 256 MiB PUT through the proxy and its three object servers made 524,367 recvfrom calls with the default, 262,274
/// without (perf stat).
/// </summary>
public static class EagerReceive
{
    /// <summary>Applies the setting to an endpoint's socket transport (<see cref="HttpServerOptions.Sockets"/>).</summary>
    public static void Configure(SocketTransportOptions sockets)
    {
        ArgumentNullException.ThrowIfNull(sockets);
        sockets.WaitForDataBeforeAllocatingBuffer = false;
    }
}
