using Cloud.Modules.Swift.Common;

namespace Cloud.Modules.Swift.Storage.Replication;

/// <summary>swift-account-replicator: keeps the replicas of every account database in step (see <see cref="DatabaseReplication"/>).</summary>
public sealed class AccountReplicator(SwiftStorageFlags storage, SwiftConsistencyFlags flags, SwiftRings rings, DatabaseReplication replication) : ISwiftDaemon
{
    public string Name => "account-replicator";

    public TimeSpan Interval => TimeSpan.FromSeconds(flags.AccountReplicatorInterval);

    public Task<string> RunOnceAsync(CancellationToken cancellationToken) =>
        replication.RunOnceAsync(rings.Account, DatabaseKind.Account, storage.SwiftAccountPort, cancellationToken);
}
