using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Compute;

/// <summary>
/// The migrations table in-process: <c>GET /os-migrations</c> (admins) reads it, and the scheduler claims a moving
/// instance's resources on the host it picks (the instance's row is left to the compute hosts).
/// </summary>
public sealed class MigrationApi(MigrationStore store)
{
    /// <summary>Every project's resizes, newest first (admin only: 403 for others).</summary>
    public Task<IReadOnlyList<Migration>> ListAsync(RequestContext context, MigrationQuery query, CancellationToken cancellationToken)
    {
        Policy.RequireAdmin(context);
        return store.ListAsync(query, cancellationToken);
    }

    /// <summary>Claims resources on <paramref name="host"/> if they still fit under <paramref name="ratios"/>; false when another claim got there first.</summary>
    public Task<bool> ClaimAsync(string host, long memoryMb, long vcpus, long rootGb, AllocationRatios ratios, CancellationToken cancellationToken) =>
        store.ClaimAsync(host, memoryMb, vcpus, rootGb, ratios, cancellationToken);
}
