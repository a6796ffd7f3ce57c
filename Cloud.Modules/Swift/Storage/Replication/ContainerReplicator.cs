using Cloud.Modules.Swift.Common;

namespace Cloud.Modules.Swift.Storage.Replication;

/// <summary>swift-container-replicator: keeps the replicas of every container database in step (see <see cref="DatabaseReplication"/>).</summary>
public sealed class ContainerReplicator(SwiftStorageFlags storage, SwiftConsistencyFlags flags, SwiftRings rings, DatabaseReplication replication) : ISwiftDaemon
{
    public string Name => "container-replicator";

    public TimeSpan Interval => TimeSpan.FromSeconds(flags.ContainerReplicatorInterval);

    public Task<string> RunOnceAsync(CancellationToken cancellationToken) =>
        replication.RunOnceAsync(rings.Container, DatabaseKind.Container, storage.SwiftContainerPort, cancellationToken);
}
