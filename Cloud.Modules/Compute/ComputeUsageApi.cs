using Cloud.Modules.Compute.Db;

namespace Cloud.Modules.Compute;

/// <summary>What a project holds against its compute quotas (os-quota-sets' <c>/detail</c> and its below-usage check).</summary>
public sealed class ComputeUsageApi(ComputeUsageStore store)
{
    /// <summary>The project's use; key pairs are counted for <paramref name="userId"/> (nova's key pair quota is per user).</summary>
    public Task<ComputeUsage> UsageAsync(string projectId, string? userId, CancellationToken cancellationToken) =>
        store.UsageAsync(projectId, userId, cancellationToken);
}
