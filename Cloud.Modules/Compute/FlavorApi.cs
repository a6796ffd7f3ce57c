using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Compute;

/// <summary>Flavors (instance types): everyone lists them, operators create and delete them (<c>cloudd manage flavor</c>).</summary>
public sealed class FlavorApi(FlavorStore store, TimeProvider clock)
{
    public Task<IReadOnlyList<Flavor>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <summary>A flavor by id (<c>"1"</c>) or by name (<c>m1.tiny</c>), as the APIs and EC2's InstanceType name it.</summary>
    public async Task<Flavor> GetAsync(string idOrName, CancellationToken cancellationToken) =>
        await FindAsync(idOrName, cancellationToken).ConfigureAwait(false)
        ?? throw CloudException.NotFound($"Flavor {idOrName} could not be found.");

    public Task<Flavor?> FindAsync(string idOrName, CancellationToken cancellationToken) => store.FindAsync(idOrName, cancellationToken);

    /// <summary>Creates a flavor; <paramref name="flavorId"/> null takes the next free id.</summary>
    public async Task<Flavor> CreateAsync(RequestContext context, string name, long memoryMb, long vcpus, long rootGb, long? flavorId, CancellationToken cancellationToken)
    {
        RequireAdmin(context);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 255)
        {
            throw CloudException.Invalid("Flavor name must be 1 to 255 characters.");
        }
        if (memoryMb < 1 || vcpus < 1 || rootGb < 0 || flavorId < 1)
        {
            throw CloudException.Invalid("Flavor memory_mb and vcpus must be positive, root_gb and the flavor id not negative.");
        }
        return await store.InsertAsync(name, memoryMb, vcpus, rootGb, flavorId, clock.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a flavor by name or id; instances of it keep their copied resources.</summary>
    public async Task DeleteAsync(RequestContext context, string idOrName, CancellationToken cancellationToken)
    {
        RequireAdmin(context);
        var flavor = await GetAsync(idOrName, cancellationToken).ConfigureAwait(false);
        await store.DeleteAsync(flavor.Id, cancellationToken).ConfigureAwait(false);
    }

    // The operator's own tool acts with the service context (admin, no user), which Policy.RequireAdmin refuses.
    private static void RequireAdmin(RequestContext context)
    {
        if (!context.IsAdmin)
        {
            Policy.RequireAdmin(context);
        }
    }
}
