using Cloud.Modules.Compute.Db;

namespace Cloud.Modules.Compute;

/// <summary>The builds a host was given and has not finished: for the scheduler, which placed them, to fail those whose host died.</summary>
public sealed class InstanceBuildsApi(InstanceStore store)
{
    /// <summary>Instances placed on a host that are still building.</summary>
    public Task<IReadOnlyList<Instance>> BuildingOnAHostAsync(CancellationToken cancellationToken) => store.BuildingOnAHostAsync(cancellationToken);

    /// <summary>Puts a still-building instance in ERROR with <paramref name="fault"/>; false when it has meanwhile become something else.</summary>
    public Task<bool> FailBuildAsync(string uuid, string fault, CancellationToken cancellationToken) => store.FailBuildAsync(uuid, fault, cancellationToken);
}
