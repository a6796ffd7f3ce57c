using Cloud.Modules.Swift.Common;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// The account, container and object rings the proxy places names with, read from <c>swift_dir</c> on first use so
/// the proxy starts (and answers /healthcheck) before an operator has built them.
/// </summary>
public sealed class SwiftRings(IOptions<SwiftProxyFlags> proxy, IOptions<SwiftHashFlags> hash)
{
    private readonly Lazy<Common.Ring.Ring> _account = new(() => Load(proxy.Value, hash.Value, "account"));
    private readonly Lazy<Common.Ring.Ring> _container = new(() => Load(proxy.Value, hash.Value, "container"));
    private readonly Lazy<Common.Ring.Ring> _object = new(() => Load(proxy.Value, hash.Value, "object"));

    /// <summary>account.ring.gz.</summary>
    public Common.Ring.Ring Account => _account.Value;

    /// <summary>container.ring.gz.</summary>
    public Common.Ring.Ring Container => _container.Value;

    /// <summary>object.ring.gz.</summary>
    public Common.Ring.Ring Object => _object.Value;

    private static Common.Ring.Ring Load(SwiftProxyFlags proxy, SwiftHashFlags hash, string kind) =>
        new(Path.Combine(proxy.SwiftDir, kind + ".ring.gz"), hash.SwiftHashPathPrefix, hash.SwiftHashPathSuffix);
}
