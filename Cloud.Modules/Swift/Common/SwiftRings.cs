using Microsoft.Extensions.Options;

namespace Cloud.Modules.Swift.Common;

/// <summary>
/// The account, container and object rings names are placed with, read from <c>swift_dir</c> on first use so a proxy
/// or storage host starts (and answers /healthcheck) before an operator has built them. A failed load is not cached:
/// the next request or daemon pass finds the rings once they are written.
/// </summary>
public sealed class SwiftRings(IOptions<SwiftRingFlags> rings, IOptions<SwiftHashFlags> hash)
{
    private readonly Lazy<Ring.Ring> _account = new(() => Load(rings.Value, hash.Value, "account"), LazyThreadSafetyMode.PublicationOnly);
    private readonly Lazy<Ring.Ring> _container = new(() => Load(rings.Value, hash.Value, "container"), LazyThreadSafetyMode.PublicationOnly);
    private readonly Lazy<Ring.Ring> _object = new(() => Load(rings.Value, hash.Value, "object"), LazyThreadSafetyMode.PublicationOnly);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, Lazy<Ring.Ring>> _policyObjects = new();
    private readonly Lazy<SwiftStoragePolicies> _policies = new(() => rings.Value.Policies);

    /// <summary>account.ring.gz.</summary>
    public Ring.Ring Account => _account.Value;

    /// <summary>container.ring.gz.</summary>
    public Ring.Ring Container => _container.Value;

    /// <summary>object.ring.gz.</summary>
    public Ring.Ring Object => _object.Value;

    /// <summary>The storage policies (swift.conf's [storage-policy:N]).</summary>
    public SwiftStoragePolicies Policies => _policies.Value;

    /// <summary>The object ring of policy <paramref name="index"/>: object.ring.gz for 0, object-N.ring.gz otherwise.</summary>
    public Ring.Ring ObjectRing(int index) => index == 0
        ? Object
        : _policyObjects.GetOrAdd(index, i => new(() => Load(rings.Value, hash.Value, SwiftStoragePolicies.RingName(i)), LazyThreadSafetyMode.PublicationOnly)).Value;

    private static Ring.Ring Load(SwiftRingFlags rings, SwiftHashFlags hash, string kind) =>
        new(Path.Combine(rings.SwiftDir, kind + ".ring.gz"), hash.SwiftHashPathPrefix, hash.SwiftHashPathSuffix);
}
