namespace Cloud.Modules.Network;

/// <summary>FlatDHCPManager's topology: any instance takes an address from any network, and a bridge needs nothing more.</summary>
public sealed class FlatTopology : INetworkTopology
{
    public Task<IReadOnlyList<NetworkRecord>?> NetworksForAsync(string? projectId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NetworkRecord>?>(null);

    public Task EnsureServedAsync(NetworkRecord network, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RefreshAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
