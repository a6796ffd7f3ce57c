using System.Data.Common;
using Cloud.Modules.Kernel.Db;
using Dapper;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Kernel.Service;

/// <summary>
/// The services table as the cloud sees it: heartbeats in, liveness out. A service is up when it reported
/// within <c>service_down_time</c> seconds (nova's servicegroup db driver).
/// </summary>
public sealed class ServiceGroup(IDbConnectionFactory db, IOptions<CommonFlags> flags, TimeProvider clock)
{
    /// <summary>The binary name a role's services row carries: <c>cloudd-compute</c>.</summary>
    public static string BinaryOf(string role) => $"cloudd-{role}";

    /// <summary>Records a heartbeat, creating the row on the first one.</summary>
    public async Task ReportAsync(string binary, string host, string topic, string zone, CancellationToken cancellationToken)
    {
        var args = new { Binary = binary, Host = host, Topic = topic, Zone = zone, Now = clock.GetUtcNow().UtcDateTime };
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (await connection.ExecuteAsync(new CommandDefinition(ServiceQueries.Heartbeat, args, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0)
        {
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
    }

    public async Task<IReadOnlyList<ServiceRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<ServiceRecord>(new CommandDefinition(ServiceQueries.List, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
    }

    public async Task<IReadOnlyList<ServiceRecord>> ListByTopicAsync(string topic, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<ServiceRecord>(new CommandDefinition(ServiceQueries.ByTopic, new { Topic = topic }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
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

    /// <summary>The service heartbeated within service_down_time and is not forced down.</summary>
    public bool IsUp(ServiceRecord service) =>
        !service.ForcedDown && clock.GetUtcNow().UtcDateTime - DateTime.SpecifyKind(service.UpdatedAt, DateTimeKind.Utc)
        <= TimeSpan.FromSeconds(flags.Value.ServiceDownTime);
}
