using System.Collections.Concurrent;
using System.Globalization;
using Cloud.Modules.Swift.Common;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// The storage policy of a container, which picks the ring of its objects: read from a container replica's
/// X-Backend-Storage-Policy-Index and kept for a few seconds, as swift's proxy keeps container info in its cache
/// (a container's policy never changes while it exists, only when it is deleted and made again).
/// </summary>
public sealed class ProxyContainerPolicy(SwiftRings rings, SwiftBackend backend, TimeProvider clock)
{
    private static readonly TimeSpan Keep = TimeSpan.FromSeconds(10);

    // Bounded so a client listing many containers cannot grow it without end; cleared when full.
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<(string Account, string Container), (int Index, DateTimeOffset Until)> _known = new();

    /// <summary>The container's policy index; 0 when it has none or cannot be read (the object request then fails as it would).</summary>
    public async Task<int> IndexOfAsync(string account, string container, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_known.TryGetValue((account, container), out var known) && known.Until > now)
        {
            return known.Index;
        }
        var ring = rings.Container;
        var part = ring.GetPartition(account, container);
        using var head = await backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, account, container), "HEAD", null, cancellationToken).ConfigureAwait(false);
        if (head is not { IsSuccessStatusCode: true })
        {
            return 0;
        }
        var index = head.Headers.TryGetValues(SwiftStoragePolicies.IndexHeader, out var values)
            && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            && rings.Policies.ByIndex(parsed) is not null
            ? parsed
            : 0;
        if (_known.Count >= MaxEntries)
        {
            _known.Clear();
        }
        _known[(account, container)] = (index, now + Keep);
        return index;
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

    /// <summary>Forgets a container's policy (it was deleted or made again through this proxy).</summary>
    public void Forget(string account, string container) => _known.TryRemove((account, container), out _);

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
