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
        var path = $"/{Uri.EscapeDataString(device)}/{partition}/{Uri.EscapeDataString(account)}";
        if (container is not null)
        {
            path += "/" + Uri.EscapeDataString(container);
        }
        if (obj is not null)
        {
            path += "/" + string.Join('/', obj.Split('/').Select(Uri.EscapeDataString));
        }
        return path;
    }
}
