using System.Globalization;

namespace Cloud.Modules.Swift.Common;

/// <summary>
/// The X-Container-Host, -Device and -Partition headers of an object write, naming the container replicas the object
/// server must update. The proxy spreads them as swift does, container replica j to object replica j mod n, so a write
/// costs one container update per container replica; a share whose object write failed is sent by the proxy itself.
/// </summary>
public static class ContainerUpdateHeaders
{
    /// <summary>Adds the headers naming every container replica of <paramref name="account"/>/<paramref name="container"/>.</summary>
    public static Action<HttpRequestMessage> For(Ring.Ring containerRing, string account, string container)
    {
        ArgumentNullException.ThrowIfNull(containerRing);
        var (part, nodes) = containerRing.GetNodes(account, container);
        return Naming(part, nodes);
    }

    /// <summary>
    /// One header setter per object replica (of <paramref name="objectReplicas"/>) and the container replicas each one
    /// names; an object replica beyond the container replica count names none.
    /// </summary>
    public static IReadOnlyList<(Action<HttpRequestMessage> Apply, int Partition, IReadOnlyList<Ring.RingDevice> Nodes)> Spread(
        Ring.Ring containerRing, string account, string container, int objectReplicas)
    {
        ArgumentNullException.ThrowIfNull(containerRing);
        var (part, nodes) = containerRing.GetNodes(account, container);
        return [.. Enumerable.Range(0, objectReplicas).Select(i =>
        {
            IReadOnlyList<Ring.RingDevice> share = [.. nodes.Where((_, j) => j % objectReplicas == i)];
            return (share.Count == 0 ? (Action<HttpRequestMessage>)(_ => { }) : Naming(part, share), part, share);
        })];
    }

    private static Action<HttpRequestMessage> Naming(int part, IReadOnlyList<Ring.RingDevice> nodes)
    {
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
