using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Network.Drivers;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Network;

/// <summary>
/// The compute host's side of networking, Network's contract for Compute: asks the network role for the instance's
/// NIC and ensures its bridge on this host (enslaving <c>--flat_interface</c>, or the network's bridge interface; the
/// address stays on the network host). Under VlanManager the bridge is the project network's, with its tagged link
/// (<see cref="VlanLinks"/>) instead of a flat interface.
/// </summary>
public sealed class InstanceNetworkingApi(NetworkRpcClient network, LinuxNetDriver driver, IOptions<NetworkFlags> flags, IOptions<CommonFlags> common, VlanLinks? vlanLinks = null)
{
    private bool Vlan => vlanLinks is not null && NetworkManagers.Require(flags.Value.NetworkManager) == NetworkManagers.Vlan;

    /// <summary><c>--flat_injected</c>: instances get their network configuration on a config drive.</summary>
    public bool InjectsNetwork => flags.Value.FlatInjected;

    /// <summary>Allocates the instance's fixed IP and makes its bridge ready here; throws with the network role's message.</summary>
    public async Task<InstanceNetwork> PlugAsync(string instanceUuid, CancellationToken cancellationToken)
    {
        if (Vlan)
        {
            // Before the allocation, so the network host's link to a network it creates now floods to this host too.
            await vlanLinks!.RegisterAsync(cancellationToken).ConfigureAwait(false);
        }
        var nic = await Unwrap(() => network.AllocateForInstanceAsync(RequestContext.Service(), instanceUuid, common.Value.Host, cancellationToken)).ConfigureAwait(false);
        await EnsureHostSideAsync(nic, cancellationToken).ConfigureAwait(false);
        return nic;
    }

    /// <summary>
    /// This host's side of NICs already allocated (their bridges with the flat interface or the VLAN link), as the
    /// compute role rebuilds it at start: a restarted or rebooted host gets back what its instances are plugged into.
    /// </summary>
    public async Task EnsurePluggedAsync(IEnumerable<InstanceNetwork> nics, CancellationToken cancellationToken)
    {
        foreach (var nic in nics.DistinctBy(n => n.Bridge, StringComparer.Ordinal))
        {
            await EnsureHostSideAsync(nic, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task EnsureHostSideAsync(InstanceNetwork nic, CancellationToken cancellationToken)
    {
        if (nic.Vlan is { } vlan && vlanLinks is not null)
        {
            await driver.EnsureBridgeAsync(nic.Bridge, null, null, cancellationToken).ConfigureAwait(false);
            await vlanLinks.EnsureAsync(nic.Bridge, vlan, cancellationToken).ConfigureAwait(false);
            return;
        }
        var bridgeInterface = string.IsNullOrEmpty(flags.Value.FlatInterface) ? nic.BridgeInterface : flags.Value.FlatInterface;
        await driver.EnsureBridgeAsync(nic.Bridge, bridgeInterface, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The compute host's periodic task: under VlanManager, its VXLAN links follow the hosts that joined or left.</summary>
    public Task RefreshAsync(CancellationToken cancellationToken) =>
        Vlan ? vlanLinks!.RefreshAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Gives the instance's fixed IP back (its DHCP entry and lease go with it).</summary>
    public Task UnplugAsync(string instanceUuid, CancellationToken cancellationToken) =>
        Unwrap(async () =>
        {
            await network.DeallocateForInstanceAsync(RequestContext.Service(), instanceUuid, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>A failure of the network role reaches the instance's fault as its own message, not wrapped in "Remote error".</summary>
    private static async Task<T> Unwrap<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RemoteError e)
        {
            throw new InvalidOperationException(e.RemoteMessage, e);
        }
        catch (RpcTimeoutException e)
        {
            throw new InvalidOperationException($"No network role answered ({e.Message}); start one with --roles=network.", e);
        }
    }
}
