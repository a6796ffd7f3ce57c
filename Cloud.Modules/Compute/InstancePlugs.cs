using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Network;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Compute;

/// <summary>
/// At compute role start, re-plugs the host side of this host's instances' NICs (bridges, flat interface, VLAN links)
/// from the database: after a host reboot or a hand-deleted bridge the guests started again have their network back.
/// Registered before the firewall and the RPC service, so it runs before the role takes messages.
/// </summary>
public sealed partial class InstancePlugs(
    InstanceStore instances,
    NetworkApi network,
    InstanceNetworkingApi networking,
    IOptions<CommonFlags> flags,
    ILogger<InstancePlugs> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var local = await instances.OnHostAsync(flags.Value.Host, cancellationToken).ConfigureAwait(false);
            var nics = await network.NicsOfAsync([.. local.Select(i => i.Uuid)], cancellationToken).ConfigureAwait(false);
            await networking.EnsurePluggedAsync(nics.Values, cancellationToken).ConfigureAwait(false);
            LogPlugged(nics.Values.Select(n => n.Bridge).Distinct(StringComparer.Ordinal).Count(), nics.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A host that cannot rebuild its bridges still serves: new instances ensure theirs when they spawn.
            LogFailed(e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "ensured {Bridges} bridges for {Instances} local instances")]
    private partial void LogPlugged(int bridges, int instances);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not re-plug the local instances' networks at start")]
    private partial void LogFailed(Exception e);
}
