using Cloud.Modules.Compute;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>nova's flavor views (<c>views/flavors.py</c>): the brief one of <c>GET /flavors</c> and the full one, per microversion.</summary>
public static class FlavorView
{
    public static Dictionary<string, object?> Brief(HttpContext context, Flavor flavor)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        var json = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = flavor.FlavorId,
            ["name"] = flavor.Name,
            ["links"] = NovaJson.Links(context, "flavors", flavor.FlavorId),
        };
        if (NovaVersions.Of(context).AtLeast(55))
        {
            json["description"] = flavor.Description;
        }
        return json;
    }

    /// <summary>The full view; <c>extraSpecs</c> are shown at 2.61 and later when given (the caller may read them).</summary>
    public static Dictionary<string, object?> Full(HttpContext context, Flavor flavor, IReadOnlyDictionary<string, string>? extraSpecs = null)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        var version = NovaVersions.Of(context);
        var json = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = flavor.FlavorId,
            ["name"] = flavor.Name,
            ["ram"] = flavor.MemoryMb,
            ["disk"] = flavor.RootGb,
            // Below 2.75 nova shows a flavor without swap as "" (a quirk strict clients expect).
            ["swap"] = flavor.Swap == 0 && !version.AtLeast(75) ? "" : flavor.Swap,
            ["OS-FLV-EXT-DATA:ephemeral"] = flavor.EphemeralGb,
            ["OS-FLV-DISABLED:disabled"] = flavor.Disabled,
            ["vcpus"] = flavor.Vcpus,
            ["os-flavor-access:is_public"] = flavor.IsPublic,
            ["rxtx_factor"] = flavor.RxtxFactor,
            ["links"] = NovaJson.Links(context, "flavors", flavor.FlavorId),
        };
        if (version.AtLeast(55))
        {
            json["description"] = flavor.Description;
        }
        if (extraSpecs is not null && version.AtLeast(61))
        {
            json["extra_specs"] = extraSpecs;
        }
        return json;
    }

    /// <summary><c>{"flavor_access": [{"flavor_id", "tenant_id"}]}</c>.</summary>
    public static object Access(Flavor flavor, IReadOnlyList<string> projects)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        return new { flavor_access = projects.Select(p => new { flavor_id = flavor.FlavorId, tenant_id = p }) };
    }

    /// <summary>The sort key nova applies for <c>sort_key</c>; null for one it does not know.</summary>
    public static Func<Flavor, object?>? SortKey(string name) => name switch
    {
        "flavorid" => f => f.FlavorId,
        "id" => f => f.Id,
        "name" => f => f.Name,
        "memory_mb" => f => f.MemoryMb,
        "vcpus" => f => f.Vcpus,
        "root_gb" => f => f.RootGb,
        "swap" => f => f.Swap,
        "ephemeral_gb" => f => f.EphemeralGb,
        "rxtx_factor" => f => f.RxtxFactor,
        "is_public" => f => f.IsPublic,
        "disabled" => f => f.Disabled,
        "description" => f => f.Description,
        "created_at" or "updated_at" => f => f.CreatedAt,
        "vcpu_weight" => f => f.Id,
        _ => null,
    };

    public static string Id(Flavor flavor) => flavor?.FlavorId ?? "";
}
