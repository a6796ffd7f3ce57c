using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;

namespace Cloud.Modules.Network;

/// <summary>
/// The only code that knows the network topic. Compute hosts call the shared <c>network</c> topic (any network role
/// answers); a network role calls <c>network.&lt;host&gt;</c> to reach the host serving a network's DHCP.
/// </summary>
/// <remarks>
/// Version history:
/// 1.0 - allocate_for_instance, deallocate_for_instance, get_instance_network, refresh_dhcp.
/// 1.1 - sync_floating_ips.
/// </remarks>
public sealed class NetworkRpcClient(IRpcBus bus)
{
    public const string Topic = "network";

    public async Task<InstanceNetwork> AllocateForInstanceAsync(RequestContext context, string instanceUuid, string host, CancellationToken cancellationToken) =>
        (await bus.CallAsync<InstanceNetworkReply>(context, Kernel.Bus.Topic.Shared(Topic), new AllocateForInstance(instanceUuid, host), null, cancellationToken).ConfigureAwait(false)).Network
        ?? throw new InvalidOperationException($"the network role allocated no network for instance {instanceUuid}");

    public async Task DeallocateForInstanceAsync(RequestContext context, string instanceUuid, CancellationToken cancellationToken) =>
        await bus.CallAsync<object?>(context, Kernel.Bus.Topic.Shared(Topic), new DeallocateForInstance(instanceUuid), null, cancellationToken).ConfigureAwait(false);

    public async Task<InstanceNetwork?> GetInstanceNetworkAsync(RequestContext context, string instanceUuid, CancellationToken cancellationToken) =>
        (await bus.CallAsync<InstanceNetworkReply>(context, Kernel.Bus.Topic.Shared(Topic), new GetInstanceNetwork(instanceUuid), null, cancellationToken).ConfigureAwait(false)).Network;

    public async Task RefreshDhcpAsync(RequestContext context, string host, string networkId, IReadOnlyList<ReleasedLease> released, CancellationToken cancellationToken) =>
        await bus.CallAsync<object?>(context, Kernel.Bus.Topic.ForHost(Topic, host), new RefreshDhcp(networkId, released), null, cancellationToken).ConfigureAwait(false);

    public async Task SyncFloatingIpsAsync(RequestContext context, string host, CancellationToken cancellationToken) =>
        await bus.CallAsync<object?>(context, Kernel.Bus.Topic.ForHost(Topic, host), new SyncFloatingIps(), null, cancellationToken).ConfigureAwait(false);
}
