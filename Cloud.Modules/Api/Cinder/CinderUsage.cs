using Cloud.Modules.Identity;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Volume;

namespace Cloud.Modules.Api.Cinder;

/// <summary>
/// A project's block storage quotas and use, in Cinder's resource names: <c>volumes</c> and <c>gigabytes</c> (volumes and
/// snapshots, as the volume module counts them) are the identity module's quotas; snapshots are not limited (-1), and
/// backups, which this cloud does not have, are 0.
/// </summary>
public sealed class CinderUsage(VolumeApi volumes, IdentityApi identity)
{
    /// <summary>The quota set's resources with their limits; <c>volumes</c> and <c>gigabytes</c> come from <paramref name="quotas"/>.</summary>
    public static Dictionary<string, long> Limits(IReadOnlyDictionary<string, long> quotas)
    {
        ArgumentNullException.ThrowIfNull(quotas);
        long Quota(string name) => quotas.TryGetValue(name, out var value) ? value : -1;
        return new(StringComparer.Ordinal)
        {
            ["volumes"] = Quota("volumes"),
            ["gigabytes"] = Quota("gigabytes"),
            ["snapshots"] = -1,
            ["backups"] = 0,
            ["backup_gigabytes"] = 0,
            ["per_volume_gigabytes"] = -1,
            ["groups"] = 0,
            ["volumes___DEFAULT__"] = -1,
            ["gigabytes___DEFAULT__"] = -1,
            ["snapshots___DEFAULT__"] = -1,
        };
    }

    /// <summary>The limits of the project with id <paramref name="projectId"/> (404 for an unknown project).</summary>
    public async Task<Dictionary<string, long>> LimitsAsync(string projectId, CancellationToken cancellationToken) =>
        Limits(await identity.QuotasOfProjectAsync(projectId, cancellationToken).ConfigureAwait(false));

    /// <summary>What the project uses of each resource (0 for the ones not counted).</summary>
    public async Task<Dictionary<string, long>> InUseAsync(RequestContext caller, string projectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var others = caller.ProjectId != projectId;
        var volumeRows = (await volumes.ListAsync(caller, new VolumeListQuery(AllProjects: others), cancellationToken).ConfigureAwait(false))
            .Where(v => v.ProjectId == projectId).ToList();
        var snapshotRows = (await volumes.ListSnapshotsAsync(caller, others, null, cancellationToken).ConfigureAwait(false))
            .Where(s => s.ProjectId == projectId).ToList();
        var used = Limits(new Dictionary<string, long>()).ToDictionary(p => p.Key, _ => 0L, StringComparer.Ordinal);
        used["volumes"] = volumeRows.Count;
        used["gigabytes"] = volumeRows.Sum(v => v.SizeGb) + snapshotRows.Sum(s => s.SizeGb);
        used["snapshots"] = snapshotRows.Count;
        return used;
    }
}
