using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cloud.Modules.Swift.Common;

/// <summary>
/// Kestrel settings the proxy and every storage server share, so HTTP behaves as under Swift's eventlet servers:
/// header values are Latin-1 bytes (<see cref="SwiftHeaderText"/>: UTF-8 metadata passes through), and the header
/// limits are wide enough that Swift's own limits (90 metadata items, 4096 bytes of metadata, 8192 bytes a header
/// line) are the ones a client meets, with Swift's messages, rather than Kestrel's bare 431.
/// </summary>
public static class SwiftKestrel
{
    /// <summary>Swift's <c>max_header_size</c>: the longest header line eventlet reads.</summary>
    public const int MaxHeaderSize = 8192;

    /// <summary>Applies the settings to one endpoint's Kestrel.</summary>
    public static void Configure(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.RequestHeaderEncodingSelector = _ => SwiftHeaderText.Encoding;
        kestrel.ResponseHeaderEncodingSelector = _ => SwiftHeaderText.Encoding;
        // Far above what Swift accepts (90 metadata items plus the ordinary headers), still a bound on a hostile client.
        kestrel.Limits.MaxRequestHeaderCount = 1000;
        // Under Kestrel's 1 MiB request buffer, which it must not exceed.
        kestrel.Limits.MaxRequestHeadersTotalSize = 32 * MaxHeaderSize;
    }
}
