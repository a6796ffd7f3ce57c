using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Network;

namespace Cloud.Modules.Compute;

/// <summary>
/// What users may change on a server without a host being involved: its display name and its metadata
/// (nova's server update and server metadata APIs). The same rules as <see cref="ComputeApi"/> find the instance.
/// </summary>
public sealed class InstanceMetadataApi(InstanceMetadataStore store, ComputeApi compute, NetworkApi network)
{
    /// <summary>Updates what <paramref name="update"/> sets (PUT /servers/{id}, and the create request's description and access IPs).</summary>
    public async Task<Instance> UpdateAsync(RequestContext context, string id, ServerUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.Name is { } name)
        {
            ServerLimits.CheckName(name);
        }
        var instance = await compute.GetAsync(context, id, cancellationToken).ConfigureAwait(false);
        await store.UpdateAsync(instance.Uuid, update, cancellationToken).ConfigureAwait(false);
        return await compute.GetAsync(context, instance.Uuid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The fixed IPs of the instances, by instance (instances the caller may already see; one query).</summary>
    public Task<ILookup<string, FixedAddress>> AddressesAsync(IEnumerable<Instance> instances, CancellationToken cancellationToken) =>
        network.AddressesOfAsync([.. instances.Select(i => i.Uuid)], cancellationToken);

    /// <summary>Sets metadata items: <paramref name="replace"/> drops the keys not given (PUT), else merges (POST). Returns all items.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SetAsync(RequestContext context, string id, IReadOnlyDictionary<string, string> items, bool replace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ServerLimits.CheckMetadata(items);
        var instance = await compute.GetAsync(context, id, cancellationToken).ConfigureAwait(false);
        await store.SetAsync(instance.Uuid, items, replace, cancellationToken).ConfigureAwait(false);
        return await compute.GetMetadataAsync(context, instance.Uuid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The metadata and security group names of many instances in a few queries (the server detail list), for
    /// instances the caller already holds from <see cref="ComputeApi.ListAsync(Kernel.Auth.RequestContext, InstanceListQuery, CancellationToken)"/>, which checked the project.
    /// </summary>
    /// <summary>The security group names of many instances the caller already holds, by instance (one query per 500).</summary>
    public Task<ILookup<string, string>> SecurityGroupNamesOfAsync(IEnumerable<Instance> instances, CancellationToken cancellationToken) =>
        store.SecurityGroupNamesOfAsync([.. instances.Select(i => i.Uuid)], cancellationToken);

    public Task<(ILookup<string, (string Key, string Value)> Metadata, ILookup<string, string> Groups)> OfAsync(IReadOnlyList<Instance> instances, CancellationToken cancellationToken) =>
        store.OfAsync(instances, cancellationToken);
}
