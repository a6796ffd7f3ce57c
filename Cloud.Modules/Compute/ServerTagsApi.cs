using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Compute;

/// <summary>
/// Server tags (nova's server_tags API, 2.26) and the extras nova keeps beside an instance (hostname, trusted
/// certificates, disk config). The same rules as <see cref="ComputeApi"/> find the instance (another project's is not
/// found); tags change only while the server is active, paused, suspended or stopped (409 otherwise, as nova).
/// </summary>
public sealed class ServerTagsApi(ServerTagStore store, ComputeApi compute)
{
    /// <summary>The most tags one server holds (nova's MAX_TAG_COUNT).</summary>
    public const int MaxTags = 50;

    /// <summary>The longest tag (nova's MAX_TAG_LENGTH).</summary>
    public const int MaxTagLength = 60;

    private static readonly HashSet<string> TaggableStates = new(StringComparer.Ordinal) { VmStates.Active, "paused", "suspended", VmStates.Stopped };

    public async Task<IReadOnlyList<string>> ListAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        var instance = await LiveAsync(context, id, cancellationToken).ConfigureAwait(false);
        return [.. (await store.TagsOfAsync([instance.Uuid], cancellationToken).ConfigureAwait(false))[instance.Uuid]];
    }

    /// <summary>The tags of instances the caller already holds, by instance uuid.</summary>
    public Task<ILookup<string, string>> OfAsync(IReadOnlyList<Instance> instances, CancellationToken cancellationToken) =>
        store.TagsOfAsync([.. instances.Select(i => i.Uuid)], cancellationToken);

    /// <summary>Replaces every tag (PUT /servers/{id}/tags; duplicates collapse). Returns the tags now held.</summary>
    public async Task<IReadOnlyList<string>> ReplaceAsync(RequestContext context, string id, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var instance = await TaggableAsync(context, id, "update tags", cancellationToken).ConfigureAwait(false);
        await store.ReplaceAsync(instance.Uuid, [.. tags.Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);
        return await ListAsync(context, instance.Uuid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tags given at create (2.52), on an instance just made.</summary>
    public Task SetInitialAsync(string uuid, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        tags.Count == 0 ? Task.CompletedTask : store.ReplaceAsync(uuid, [.. tags.Distinct(StringComparer.Ordinal)], cancellationToken);

    /// <summary>Adds one tag (PUT /servers/{id}/tags/{tag}); false when the server already had it.</summary>
    public async Task<bool> AddAsync(RequestContext context, string id, string tag, CancellationToken cancellationToken)
    {
        var instance = await TaggableAsync(context, id, "update tag", cancellationToken).ConfigureAwait(false);
        var tags = (await store.TagsOfAsync([instance.Uuid], cancellationToken).ConfigureAwait(false))[instance.Uuid].ToList();
        if (tags.Count >= MaxTags)
        {
            throw CloudException.Invalid($"The number of tags exceeded the per-server limit {MaxTags}");
        }
        if (tags.Contains(tag, StringComparer.Ordinal))
        {
            return false;
        }
        await store.ReplaceAsync(instance.Uuid, [.. tags, tag], cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task DeleteAsync(RequestContext context, string id, string tag, CancellationToken cancellationToken)
    {
        var instance = await TaggableAsync(context, id, "delete tag", cancellationToken).ConfigureAwait(false);
        if (!await store.DeleteAsync(instance.Uuid, tag, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.NotFound($"Instance {instance.Uuid} has no tag '{tag}'");
        }
    }

    public async Task DeleteAllAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        var instance = await TaggableAsync(context, id, "delete tags", cancellationToken).ConfigureAwait(false);
        await store.ReplaceAsync(instance.Uuid, [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The extras of instances the caller already holds, by instance uuid (missing: defaults).</summary>
    public Task<IReadOnlyDictionary<string, InstanceExtras>> ExtrasOfAsync(IReadOnlyList<Instance> instances, CancellationToken cancellationToken) =>
        store.ExtrasOfAsync([.. instances.Select(i => i.Uuid)], cancellationToken);

    /// <summary>Writes the extras of an instance the caller may change (create, update, rebuild).</summary>
    public async Task SetExtrasAsync(RequestContext context, InstanceExtras extras, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extras);
        var instance = await LiveAsync(context, extras.InstanceUuid, cancellationToken).ConfigureAwait(false);
        await store.SetExtrasAsync(new InstanceExtras
        {
            InstanceUuid = instance.Uuid,
            Hostname = extras.Hostname,
            TrustedCertificates = extras.TrustedCertificates,
            DiskConfig = extras.DiskConfig,
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Instance> LiveAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        var instance = await compute.GetAsync(context, id, cancellationToken).ConfigureAwait(false);
        return instance.Deleted ? throw CloudException.NotFound($"Instance {id} could not be found.") : instance;
    }

    private async Task<Instance> TaggableAsync(RequestContext context, string id, string action, CancellationToken cancellationToken)
    {
        var instance = await LiveAsync(context, id, cancellationToken).ConfigureAwait(false);
        return TaggableStates.Contains(instance.VmState)
            ? instance
            : throw CloudException.Conflict($"Cannot '{action}' instance {instance.Uuid} while it is in vm_state {instance.VmState}");
    }
}
