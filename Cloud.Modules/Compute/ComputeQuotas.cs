using Cloud.Modules.Identity;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Compute;

/// <summary>
/// The identity module's quotas as compute enforces them (instances, cores, ram, key_pairs, security_groups),
/// with nova's message: <c>Quota exceeded for instances: Requested 3, but already used 9 of 10 instances</c>.
/// </summary>
public sealed class ComputeQuotas(IdentityApi identity)
{
    /// <summary>The project's limits (-1: unlimited).</summary>
    public Task<IReadOnlyDictionary<string, long>> LimitsAsync(string projectId, CancellationToken cancellationToken) =>
        identity.QuotasOfProjectAsync(projectId, cancellationToken);

    /// <summary>Refuses <paramref name="requested"/> more of <paramref name="resource"/> when it would pass the limit.</summary>
    public static void Check(string resource, IReadOnlyDictionary<string, long> limits, long requested, long used)
    {
        var limit = limits.TryGetValue(resource, out var l) ? l : -1;
        if (limit >= 0 && used + requested > limit)
        {
            throw OverQuota(resource, requested, used, limit);
        }
    }

    /// <summary>How many more units of <paramref name="perUnit"/> fit under the limit of <paramref name="resource"/>.</summary>
    public static long Headroom(string resource, IReadOnlyDictionary<string, long> limits, long perUnit, long used)
    {
        var limit = limits.TryGetValue(resource, out var l) ? l : -1;
        return limit < 0 || perUnit <= 0 ? long.MaxValue : Math.Max(0, (limit - used) / perUnit);
    }

    /// <summary>403, as nova answers a quota error on the OpenStack API (the EC2 API maps it to its own code).</summary>
    public static CloudException OverQuota(string resource, long requested, long used, long limit) =>
        CloudException.Forbidden($"Quota exceeded for {resource}: Requested {requested}, but already used {used} of {limit} {resource}");
}
