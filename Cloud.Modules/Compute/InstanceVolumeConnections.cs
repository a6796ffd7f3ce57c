using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Compute;

/// <summary>
/// At compute role start, reconnects this host's instances' volumes from the database (their exports ensured by the
/// volume hosts, their CHAP secrets by this host), as <see cref="InstancePlugs"/> does for their NICs. Registered
/// before the RPC service, so it runs before the role takes messages.
/// </summary>
public sealed partial class InstanceVolumeConnections(
    InstanceStore instances,
    InstanceVolumes volumes,
    IOptions<CommonFlags> flags,
    ILogger<InstanceVolumeConnections> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var local = await instances.OnHostAsync(flags.Value.Host, cancellationToken).ConfigureAwait(false);
            await volumes.ReconnectAsync(local, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A host that cannot reach the volume service now still serves: guests keep what QEMU already has open.
            LogFailed(e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not reconnect the local instances' volumes at start")]
    private partial void LogFailed(Exception e);
}
