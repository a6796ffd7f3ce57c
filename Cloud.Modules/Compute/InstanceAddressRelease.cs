using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Network;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Compute;

/// <summary>
/// Gives back the fixed IP of an instance no compute host will ever unplug (a failed, rescheduled or locally deleted
/// build), through the network role. When that role cannot be reached now, its own periodic task frees the address
/// later (the instance no longer keeps it), so a failure here is logged, not raised.
/// </summary>
public sealed partial class InstanceAddressRelease(NetworkApi network, NetworkRpcClient rpc, ILogger<InstanceAddressRelease> log)
{
    public async Task ReleaseAsync(string instanceUuid, CancellationToken cancellationToken)
    {
        // Only an instance that holds one: with no network role (the fake driver's clouds) nobody would answer the call.
        var held = await network.AddressesOfAsync([instanceUuid], cancellationToken).ConfigureAwait(false);
        if (!held[instanceUuid].Any(a => a.Type == FixedAddress.Fixed))
        {
            return;
        }
        try
        {
            await rpc.DeallocateForInstanceAsync(RequestContext.Service(), instanceUuid, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotReleased(e, instanceUuid);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "fixed IP of instance {Uuid} not released now; the network role's periodic task will free it")]
    private partial void LogNotReleased(Exception error, string uuid);
}
