using Cloud.Modules.Compute.Firewall;
using Cloud.Modules.Network;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Compute;

/// <summary>
/// What an instance leaves on its host once its guest is gone: its security group chains and its fixed IP. Shared by
/// terminate, a failed build and the reaping of a guest no live instance owns; a failure is logged, never thrown, because
/// each has a later cleanup (the chains as stale at the next role start, the address by the network role's periodic task).
/// </summary>
public sealed partial class InstanceTeardown(ILogger log, InstanceNetworkingApi? networking = null, FirewallManager? firewall = null)
{
    /// <summary>Removes the instance's chains; if that fails now, the next role start removes them as stale.</summary>
    public async Task RemoveFirewallAsync(string uuid, CancellationToken cancellationToken)
    {
        try
        {
            await (firewall?.RemoveAsync(uuid, cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(e, "firewall removal", uuid);
        }
    }

    /// <summary>Gives the instance's fixed IP back; if the network role cannot be reached now, its periodic task frees it later.</summary>
    public async Task ReleaseNetworkAsync(string uuid, CancellationToken cancellationToken)
    {
        if (networking is null)
        {
            return;
        }
        try
        {
            await networking.UnplugAsync(uuid, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(e, "network deallocation", uuid);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Action} of instance {Uuid} failed")]
    private partial void LogFailed(Exception error, string action, string uuid);
}
