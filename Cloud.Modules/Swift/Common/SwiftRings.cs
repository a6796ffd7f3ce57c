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

    /// <summary>account.ring.gz.</summary>
    public Ring.Ring Account => _account.Value;

    /// <summary>container.ring.gz.</summary>
    public Ring.Ring Container => _container.Value;

    /// <summary>object.ring.gz.</summary>
    public Ring.Ring Object => _object.Value;

    private static Ring.Ring Load(SwiftRingFlags rings, SwiftHashFlags hash, string kind) =>
        new(Path.Combine(rings.SwiftDir, kind + ".ring.gz"), hash.SwiftHashPathPrefix, hash.SwiftHashPathSuffix);
}
