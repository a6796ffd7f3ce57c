using Cloud.Modules.Kernel;
using Cloud.Modules.Network.Db;
using Cloud.Modules.Network.Drivers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Network;

/// <summary>
/// The network role's part in floating IPs: this host's floating addresses and NAT follow the database (at start,
/// and on <see cref="SyncFloatingIps"/>), a new instance gets one with <c>--auto_assign_floating_ip</c>, and an
/// instance going away loses its own.
/// </summary>
public sealed partial class FloatingIpHost(FloatingIpStore store, FloatingIpApi floatingIps, FloatingIpDriver driver, IOptions<MetadataFlags> metadata, IOptions<CommonFlags> flags, ILogger<FloatingIpHost> log)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The host carries exactly the associated addresses whose host it is; every other floating address leaves it.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var all = await store.AllAsync(cancellationToken).ConfigureAwait(false);
            var wanted = all.Where(r => r.Host == flags.Value.Host && r.FixedAddress is not null)
                .Select(r => new FloatingNat(r.Address, r.FixedAddress!, r.Interface)).ToList();
            await driver.EnsureAsync(wanted, [.. all.Select(r => (r.Address, r.Interface))], MetadataDestination, cancellationToken).ConfigureAwait(false);
            LogSynced(wanted.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Where guests keep their fixed IP as source: <c>--metadata_host</c> when it is a real address (it may sit
    /// beyond the public interface, as on a controller); a loopback or unset one means the local gateway, never SNATed.
    /// </summary>
    private string? MetadataDestination =>
        System.Net.IPAddress.TryParse(metadata.Value.MetadataHost, out var address) && !System.Net.IPAddress.IsLoopback(address) ? metadata.Value.MetadataHost : null;

    /// <summary>A floating IP for a new instance when <c>--auto_assign_floating_ip</c> is set; the instance builds without one when that fails.</summary>
    public async Task AutoAssignAsync(string? projectId, string instanceUuid, CancellationToken cancellationToken)
    {
        if (projectId is null)
        {
            return;
        }
        try
        {
            if (await floatingIps.AutoAssignAsync(projectId, instanceUuid, cancellationToken).ConfigureAwait(false) is { } row)
            {
                LogAutoAssigned(row.Address, instanceUuid);
            }
        }
        catch (CloudException e)
        {
            LogNotAutoAssigned(instanceUuid, e.Message);
        }
    }

    public Task ForgetInstanceAsync(string instanceUuid, CancellationToken cancellationToken) =>
        floatingIps.ForgetInstanceAsync(instanceUuid, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "floating IPs in step with the database: {Count} associated here")]
    private partial void LogSynced(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "auto-assigned floating IP {Address} to instance {Uuid}")]
    private partial void LogAutoAssigned(string address, string uuid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "no floating IP auto-assigned to instance {Uuid}: {Reason}")]
    private partial void LogNotAutoAssigned(string uuid, string reason);
}
