using Cloud.Modules.Identity;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Db;
using Cloud.Modules.Kernel.Host;
using Cloud.Modules.Network;
using Cloud.Modules.Network.Db;
using Cloud.Modules.Network.Drivers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cloud.Tests.Support;

/// <summary>A network role's floating-IP side, wired by hand for tests that build a <see cref="FlatDhcpManager"/> themselves.</summary>
internal static class FloatingIpHosts
{
    public static FloatingIpApi Api(IDbConnectionFactory db, IRpcBus bus, IdentityApi identity, IOptions<NetworkFlags> flags) =>
        new(new FloatingIpStore(db, TimeProvider.System), new NetworkStore(db, TimeProvider.System), identity,
            new FloatingIpSync(new NetworkRpcClient(bus), NullLogger<FloatingIpSync>.Instance), flags);

    public static FloatingIpHost For(IDbConnectionFactory db, IRpcBus bus, IdentityApi identity, CommandRunner runner, IOptions<NetworkFlags> flags, IOptions<CommonFlags> common) =>
        new(new FloatingIpStore(db, TimeProvider.System), Api(db, bus, identity, flags),
            new FloatingIpDriver(runner, NullLogger<FloatingIpDriver>.Instance), Options.Create(new MetadataFlags()), common, NullLogger<FloatingIpHost>.Instance);
}
