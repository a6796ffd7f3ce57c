using System.Globalization;
using Cloud.Modules.Swift.Common;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// The storage policy of a container, which picks the ring of its objects: read from a container replica's
/// X-Backend-Storage-Policy-Index through <see cref="ProxyInfoCache"/>, as swift's proxy reads it from its cached
/// container info (a container's policy never changes while it exists, only when it is deleted and made again).
/// </summary>
public sealed class ProxyContainerPolicy(SwiftRings rings, ProxyInfoCache info)
{
    /// <summary>The container's policy index; 0 when it has none or cannot be read (the object request then fails as it would).</summary>
    public async Task<int> IndexOfAsync(string account, string container, CancellationToken cancellationToken)
    {
        using var head = await info.ContainerAsync(account, container, cancellationToken).ConfigureAwait(false);
        return head is { IsSuccessStatusCode: true }
            && head.Headers.TryGetValues(SwiftStoragePolicies.IndexHeader, out var values)
            && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            && rings.Policies.ByIndex(parsed) is not null
            ? parsed
            : 0;
    }

    /// <summary>
    /// The object ring of the container's policy, and a setup naming that policy to the object servers (then
    /// <paramref name="more"/>): how a segment, a manifest or a link target in another container is read.
    /// </summary>
    public async Task<(Common.Ring.Ring Ring, Action<HttpRequestMessage> Setup)> ReadOfAsync(
        string account, string container, CancellationToken cancellationToken, Action<HttpRequestMessage>? more = null)
    {
        var index = await IndexOfAsync(account, container, cancellationToken).ConfigureAwait(false);
        return (rings.ObjectRing(index), m =>
        {
            Name(m, index);
            more?.Invoke(m);
        });
    }

    /// <summary>Forgets a container's policy and the rest of its info (it was written through this proxy).</summary>
    public void Forget(string account, string container) => info.ForgetContainer(account, container);

    /// <summary>Names the policy to an object server.</summary>
    public static void Name(HttpRequestMessage message, int index)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (index != 0)
        {
            message.Headers.TryAddWithoutValidation(SwiftStoragePolicies.IndexHeader, index.ToString(CultureInfo.InvariantCulture));
        }
    }
}
