namespace Cloud.Modules.Swift.Storage.Updater;

/// <summary>
/// The container server of this process. An object server's container update that names it is applied in process
/// instead of over loopback HTTP to ourselves; the outcome is the same as the HTTP answer's (merged, or refused and so
/// queued as an async pending), so the semantics of a container update do not change.
/// </summary>
public interface ILocalContainerRows
{
    /// <summary>Whether <paramref name="host"/>:<paramref name="port"/> is this process's container server.</summary>
    bool Serves(string host, int port);

    /// <summary>Merges <paramref name="update"/>'s row into the container database on <paramref name="device"/>; false when it was refused or failed, as a non-2xx answer would be.</summary>
    Task<bool> MergeAsync(string device, int partition, ContainerUpdate update);
}
