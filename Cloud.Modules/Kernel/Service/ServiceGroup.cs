using System.Data.Common;
using Cloud.Modules.Kernel.Db;
using Dapper;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Kernel.Service;

/// <summary>
/// The services table as the cloud sees it: heartbeats in, liveness out. A service is up when it reported
/// within <c>service_down_time</c> seconds (nova's servicegroup db driver), is not forced down and did not stop.
/// </summary>
/// <remarks>
/// Jitter protection: <c>service_down_time</c> is short (seconds), so a heartbeat can be late for reasons that are not
/// the service's: the database was away, or every reporter was stalled together. A stale heartbeat only counts as
/// "down" while the observer knows heartbeats get through: some heartbeat it saw (its own process's included) is
/// fresh. When none is, a service stays up until <see cref="OutageGrace"/> times <c>service_down_time</c>.
/// </remarks>
public sealed class ServiceGroup(IDbConnectionFactory db, IOptions<CommonFlags> flags, TimeProvider clock)
{
    /// <summary>How many down times a service's heartbeat may age while no heartbeat at all is getting through.</summary>
    public const int OutageGrace = 4;

    // The newest heartbeat this process wrote or read, as ticks of a UTC DateTime (0: none yet).
    private long _newestHeartbeat;

    /// <summary>The binary name a role's services row carries: <c>cloudd-compute</c>.</summary>
    public static string BinaryOf(string role) => $"cloudd-{role}";

    /// <summary>Records a heartbeat, creating the row on the first one.</summary>
    public async Task ReportAsync(string binary, string host, string topic, string zone, CancellationToken cancellationToken)
    {
        var args = new { Binary = binary, Host = host, Topic = topic, Zone = zone, Now = clock.GetUtcNow().UtcDateTime };
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (await connection.ExecuteAsync(new CommandDefinition(ServiceQueries.Heartbeat, args, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0)
        {
            SawHeartbeat(args.Now);
            return;
        }
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(ServiceQueries.Insert, args, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        catch (DbException)
        {
            // Another process inserted the same row between our update and insert: a heartbeat is then an update.
            await connection.ExecuteAsync(new CommandDefinition(ServiceQueries.Heartbeat, args, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        SawHeartbeat(args.Now);
    }

    /// <summary>A service stopping cleanly marks itself stopped, so nothing waits <c>service_down_time</c> to stop using it.</summary>
    public async Task MarkStoppedAsync(string binary, string host, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(ServiceQueries.MarkStopped, new { Binary = binary, Host = host }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ServiceRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return Seen((await connection.QueryAsync<ServiceRecord>(new CommandDefinition(ServiceQueries.List, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList());
    }

    public async Task<IReadOnlyList<ServiceRecord>> ListByTopicAsync(string topic, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return Seen((await connection.QueryAsync<ServiceRecord>(new CommandDefinition(ServiceQueries.ByTopic, new { Topic = topic }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList());
    }

    /// <summary>Enables or disables scheduling onto a service; false when no such service exists.</summary>
    public async Task<bool> SetDisabledAsync(string host, string binary, bool disabled, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            ServiceQueries.SetDisabled, new { Host = host, Binary = binary, Disabled = disabled }, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }

    /// <summary>Enables or disables a service with the operator's reason (null: none); false when no such service exists.</summary>
    public async Task<bool> SetStatusAsync(string host, string binary, bool disabled, string? reason, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            ServiceQueries.SetStatus, new { Host = host, Binary = binary, Disabled = disabled, Reason = reason }, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }

    /// <summary>Forces a service down (or lets its heartbeat decide again); false when no such service exists.</summary>
    public async Task<bool> SetForcedDownAsync(string host, string binary, bool forcedDown, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            ServiceQueries.SetForcedDown, new { Host = host, Binary = binary, ForcedDown = forcedDown }, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }

    /// <summary>Removes a service's row (a host taken out of the cloud); false when no such service exists.</summary>
    public async Task<bool> DeleteAsync(string host, string binary, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            ServiceQueries.Delete, new { Host = host, Binary = binary }, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }

    /// <summary>
    /// The service heartbeated within service_down_time (or no heartbeat at all gets through and its own is not
    /// older than <see cref="OutageGrace"/> down times), is not forced down and has not stopped.
    /// </summary>
    public bool IsUp(ServiceRecord service)
    {
        if (service.ForcedDown || service.Stopped)
        {
            return false;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var downTime = TimeSpan.FromSeconds(flags.Value.ServiceDownTime);
        var age = now - DateTime.SpecifyKind(service.UpdatedAt, DateTimeKind.Utc);
        if (age <= downTime)
        {
            return true;
        }
        var newest = new DateTime(Interlocked.Read(ref _newestHeartbeat), DateTimeKind.Utc);
        var heartbeatsGetThrough = now - newest <= downTime;
        return !heartbeatsGetThrough && age <= downTime * OutageGrace;
    }

    private List<ServiceRecord> Seen(List<ServiceRecord> services)
    {
        foreach (var service in services)
        {
            SawHeartbeat(DateTime.SpecifyKind(service.UpdatedAt, DateTimeKind.Utc));
        }
        return services;
    }

    private void SawHeartbeat(DateTime at)
    {
        var ticks = at.Ticks;
        for (var seen = Interlocked.Read(ref _newestHeartbeat); ticks > seen; seen = Interlocked.Read(ref _newestHeartbeat))
        {
            if (Interlocked.CompareExchange(ref _newestHeartbeat, ticks, seen) == seen)
            {
                return;
            }
        }
    }
}
