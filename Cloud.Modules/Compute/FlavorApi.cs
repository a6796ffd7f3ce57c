using System.Globalization;
using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Compute;

/// <summary>
/// Flavors (instance types): everyone lists the public ones and those shared with their project, operators create,
/// describe, share and delete them (the Compute API and <c>cloudd manage flavor</c>) and set their extra specs.
/// </summary>
public sealed class FlavorApi(FlavorStore store, TimeProvider clock)
{
    /// <summary>Every flavor, public or not (the operator's tool and EC2's instance type names).</summary>
    public Task<IReadOnlyList<Flavor>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <summary>
    /// The flavors <paramref name="context"/> may see, as nova filters them: a member sees the enabled public flavors and
    /// the private ones shared with their project; an admin sees the same by default, every flavor with
    /// <paramref name="isPublic"/> null, or only the private ones with false.
    /// </summary>
    public async Task<IReadOnlyList<Flavor>> ListVisibleAsync(RequestContext context, bool? isPublic, CancellationToken cancellationToken)
    {
        var shared = context.ProjectId is null
            ? []
            : (await store.FlavorsOfProjectAsync(context.ProjectId, cancellationToken).ConfigureAwait(false)).ToHashSet();
        var all = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        if (!context.IsAdmin)
        {
            return [.. all.Where(f => !f.Disabled && (f.IsPublic || shared.Contains(f.Id)))];
        }
        return isPublic switch
        {
            null => all,
            true => [.. all.Where(f => f.IsPublic || shared.Contains(f.Id))],
            false => [.. all.Where(f => !f.IsPublic)],
        };
    }

    /// <summary>The flavor with API id <paramref name="flavorId"/> if <paramref name="context"/> may see it; 404 otherwise.</summary>
    public async Task<Flavor> GetVisibleAsync(RequestContext context, string flavorId, CancellationToken cancellationToken)
    {
        var flavor = await store.ByFlavorIdAsync(flavorId, cancellationToken).ConfigureAwait(false);
        return flavor is not null && await MaySeeAsync(context, flavor, cancellationToken).ConfigureAwait(false)
            ? flavor
            : throw CloudException.NotFound($"Flavor {flavorId} could not be found.");
    }

    /// <summary>A flavor by id (<c>"1"</c>) or by name (<c>m1.tiny</c>), as the APIs and EC2's InstanceType name it.</summary>
    public async Task<Flavor> GetAsync(string idOrName, CancellationToken cancellationToken) =>
        await FindAsync(idOrName, cancellationToken).ConfigureAwait(false)
        ?? throw CloudException.NotFound($"Flavor {idOrName} could not be found.");

    public Task<Flavor?> FindAsync(string idOrName, CancellationToken cancellationToken) => store.FindAsync(idOrName, cancellationToken);

    /// <summary>A flavor by id or name that <paramref name="context"/> may boot (a private flavor not shared with it is not found).</summary>
    public async Task<Flavor?> FindUsableAsync(RequestContext context, string idOrName, CancellationToken cancellationToken)
    {
        var flavor = await store.FindAsync(idOrName, cancellationToken).ConfigureAwait(false);
        return flavor is not null && await MaySeeAsync(context, flavor, cancellationToken).ConfigureAwait(false) ? flavor : null;
    }

    /// <summary>Creates a flavor (the operator's tool); <paramref name="flavorId"/> null takes the next free id.</summary>
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
        var id = flavorId ?? await store.NextIdAsync(cancellationToken).ConfigureAwait(false);
        return await CreateAsync(context, new FlavorSpec(name, memoryMb, vcpus, rootGb, id.ToString(CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a flavor the API validated; a null API id takes a new UUID, as nova does.</summary>
    public Task<Flavor> CreateAsync(RequestContext context, FlavorSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        RequireAdmin(context);
        return store.InsertAsync(spec, spec.FlavorId ?? Guid.NewGuid().ToString(), clock.GetUtcNow().UtcDateTime, cancellationToken);
    }

    /// <summary>Deletes a flavor by API id or name; instances of it keep their copied resources.</summary>
    public async Task DeleteAsync(RequestContext context, string idOrName, CancellationToken cancellationToken)
    {
        RequireAdmin(context);
        var flavor = await GetAsync(idOrName, cancellationToken).ConfigureAwait(false);
        await store.DeleteAsync(flavor.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets or clears (null) the description (2.55); returns the flavor as it now is.</summary>
    public async Task<Flavor> DescribeAsync(RequestContext context, string flavorId, string? description, CancellationToken cancellationToken)
    {
        RequireAdmin(context);
        var flavor = await GetVisibleAsync(context, flavorId, cancellationToken).ConfigureAwait(false);
        await store.UpdateDescriptionAsync(flavor.Id, description, cancellationToken).ConfigureAwait(false);
        return await GetVisibleAsync(context, flavorId, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyDictionary<string, string>> ExtraSpecsAsync(Flavor flavor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        return store.ExtraSpecsAsync(flavor.Id, cancellationToken);
    }

    /// <summary>Adds or replaces extra specs (admin); the API validated keys and values.</summary>
    public async Task SetExtraSpecsAsync(RequestContext context, string flavorId, IReadOnlyDictionary<string, string> specs, CancellationToken cancellationToken)
    {
        RequireAdmin(context);
        var flavor = await GetVisibleAsync(context, flavorId, cancellationToken).ConfigureAwait(false);
        await store.SetExtraSpecsAsync(flavor.Id, specs, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteExtraSpecAsync(RequestContext context, string flavorId, string key, CancellationToken cancellationToken)
    {
        RequireAdmin(context);
        var flavor = await GetVisibleAsync(context, flavorId, cancellationToken).ConfigureAwait(false);
        if (!await store.DeleteExtraSpecAsync(flavor.Id, key, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.NotFound($"Flavor {flavorId} has no extra specs with key {key}.");
        }
    }

    /// <summary>The projects a private flavor is shared with (admin); a public flavor has no such list (404, as nova).</summary>
    public async Task<(Flavor Flavor, IReadOnlyList<string> Projects)> AccessAsync(RequestContext context, string flavorId, CancellationToken cancellationToken)
    {
        RequireAdmin(context);
        var flavor = await GetVisibleAsync(context, flavorId, cancellationToken).ConfigureAwait(false);
        if (flavor.IsPublic)
        {
            throw CloudException.NotFound("Access list not available for public flavors.");
        }
        return (flavor, await store.ProjectsAsync(flavor.Id, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Shares a private flavor with a project (admin); 409 for a public flavor or a project that already has it.</summary>
    public async Task<IReadOnlyList<string>> AddAccessAsync(RequestContext context, string flavorId, string projectId, CancellationToken cancellationToken)
    {
        RequireAdmin(context);
        var flavor = await GetVisibleAsync(context, flavorId, cancellationToken).ConfigureAwait(false);
        if (flavor.IsPublic)
        {
            throw CloudException.Conflict("Can not add access to a public flavor.");
        }
        if (!await store.AddProjectAsync(flavor.Id, projectId, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.Conflict($"Flavor access already exists for flavor {flavorId} and project {projectId} combination.");
        }
        return await store.ProjectsAsync(flavor.Id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> RemoveAccessAsync(RequestContext context, string flavorId, string projectId, CancellationToken cancellationToken)
    {
        RequireAdmin(context);
        var flavor = await GetVisibleAsync(context, flavorId, cancellationToken).ConfigureAwait(false);
        if (!await store.RemoveProjectAsync(flavor.Id, projectId, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.NotFound($"Flavor access not found for {flavorId} / {projectId} combination.");
        }
        return await store.ProjectsAsync(flavor.Id, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> MaySeeAsync(RequestContext context, Flavor flavor, CancellationToken cancellationToken) =>
        flavor.IsPublic || context.IsAdmin
        || (context.ProjectId is not null && (await store.ProjectsAsync(flavor.Id, cancellationToken).ConfigureAwait(false)).Contains(context.ProjectId, StringComparer.Ordinal));

    // The operator's own tool acts with the service context (admin, no user), which Policy.RequireAdmin refuses.
    private static void RequireAdmin(RequestContext context)
    {
        if (!context.IsAdmin)
        {
            Policy.RequireAdmin(context);
        }
    }
}
