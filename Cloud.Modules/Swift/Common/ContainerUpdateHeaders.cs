using System.Globalization;

namespace Cloud.Modules.Swift.Common;

/// <summary>
/// The X-Container-Host, -Device and -Partition headers of an object write, naming the container replicas the object
/// server must update. Every object replica gets all of them (swift spreads them one per object node, relying on a
/// handoff write when a node is down; cloudd's writers write no handoffs, so a dead object node must not take a
/// container replica's update down with it).
/// </summary>
public static class ContainerUpdateHeaders
{
    /// <summary>Adds the headers for <paramref name="account"/>/<paramref name="container"/> on <paramref name="containerRing"/>.</summary>
    public static Action<HttpRequestMessage> For(Ring.Ring containerRing, string account, string container)
    {
        ArgumentNullException.ThrowIfNull(containerRing);
        var (part, nodes) = containerRing.GetNodes(account, container);
        var hosts = string.Join(',', nodes.Select(n => n.Ip.Contains(':', StringComparison.Ordinal) ? $"[{n.Ip}]:{n.Port}" : $"{n.Ip}:{n.Port}"));
        var devices = string.Join(',', nodes.Select(n => n.Device));
        var partition = part.ToString(CultureInfo.InvariantCulture);
        return m =>
        {
            m.Headers.TryAddWithoutValidation("X-Container-Host", hosts);
            m.Headers.TryAddWithoutValidation("X-Container-Device", devices);
            m.Headers.TryAddWithoutValidation("X-Container-Partition", partition);
        };
    }
}
