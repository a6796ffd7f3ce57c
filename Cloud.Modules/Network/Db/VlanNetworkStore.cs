using System.Data.Common;
using Cloud.Modules.Kernel.Db;

namespace Cloud.Modules.Network.Db;

/// <summary>VlanManager's rows: which network is a project's (assigning a pre-created one), and where each host's VXLAN endpoint is.</summary>
public sealed class VlanNetworkStore(IDbConnectionFactory db, NetworkStore networks, TimeProvider clock)
{
    /// <summary>The project's network, or null when it has none yet.</summary>
    public async Task<NetworkRecord?> OfProjectAsync(string projectId, CancellationToken cancellationToken) =>
        (await db.QueryListAsync<string>(VlanQueries.NetworkOfProject, new { ProjectId = projectId }, cancellationToken).ConfigureAwait(false)).SingleOrDefault() is { } id
            ? await networks.FindAsync(id, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>Gives the project the first unassigned pre-created VLAN network; null when none is left.</summary>
    public async Task<NetworkRecord?> AssignUnassignedAsync(string projectId, CancellationToken cancellationToken)
    {
        foreach (var id in await db.QueryListAsync<string>(VlanQueries.Unassigned, null, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                if (await db.ExecuteAsync(VlanQueries.Assign, new { ProjectId = projectId, Id = id }, cancellationToken).ConfigureAwait(false) > 0)
                {
                    return await networks.FindAsync(id, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (DbException)
            {
                // The unique project index: another network role gave this project a network meanwhile.
                return await OfProjectAsync(projectId, cancellationToken).ConfigureAwait(false);
            }
        }
        return null;
    }

    /// <summary>Records this host's VXLAN endpoint address (each start and refresh, so a changed --my_ip follows).</summary>
    public async Task RegisterUnderlayAsync(string host, string address, CancellationToken cancellationToken)
    {
        var args = new { Host = host, Address = address, Now = clock.GetUtcNow().UtcDateTime };
        if (await db.ExecuteAsync(VlanQueries.TouchUnderlay, args, cancellationToken).ConfigureAwait(false) > 0)
        {
            return;
        }
        try
        {
            await db.ExecuteAsync(VlanQueries.InsertUnderlay, args, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException)
        {
            await db.ExecuteAsync(VlanQueries.TouchUnderlay, args, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every host's VXLAN endpoint address, by host.</summary>
    public async Task<IReadOnlyList<UnderlayHost>> UnderlayAsync(CancellationToken cancellationToken) =>
        await db.QueryListAsync<UnderlayHost>(VlanQueries.Underlay, null, cancellationToken).ConfigureAwait(false);
}
