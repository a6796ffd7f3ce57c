using Cloud.Modules.Swift.Common.Ring;

namespace Cloud.Modules.Swift.Common;

/// <summary>Storage-server request paths, shared by the proxy and the storage role's replicators and updaters.</summary>
public static class SwiftPath
{
    /// <summary>The backend path of a name on <paramref name="device"/>, each segment percent-encoded (an object's slashes kept).</summary>
    public static string Of(RingDevice device, int partition, string account, string? container = null, string? obj = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        return Of(device.Device, partition, account, container, obj);
    }

    /// <summary>The backend path of a name on the device named <paramref name="device"/>.</summary>
    public static string Of(string device, int partition, string account, string? container = null, string? obj = null)
    {
        var path = $"/{Segment(device)}/{partition}/{Segment(account)}";
        if (container is not null)
        {
            path += "/" + Segment(container);
        }
        if (obj is not null)
        {
            path += "/" + string.Join('/', obj.Split('/').Select(Segment));
        }
        return path;
    }

    /// <summary>
    /// The URI of a request to a storage server, sent exactly as <paramref name="pathAndQuery"/> says: a
    /// <see cref="Uri"/> would otherwise remove dot segments, so that <c>c/a/../../../AUTH_other/c/o</c> (a legal
    /// object name) would be stored in another account.
    /// </summary>
    public static Uri NodeUri(string host, int port, string pathAndQuery)
    {
        var bracketed = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        return new Uri($"http://{bracketed}:{port}{pathAndQuery}", new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
    }

    // Dots are unreserved, so EscapeDataString keeps them; a whole "." or ".." segment is escaped so that nothing on
    // the way (client, server, proxy in between) can take it for a dot segment.
    private static string Segment(string name) => name is "." or ".." ? name.Replace(".", "%2E", StringComparison.Ordinal) : Uri.EscapeDataString(name);
}
