using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Flags;

namespace Cloud.Host;

/// <summary>Turns <c>--roles=api,scheduler</c> (or <c>all</c>) into the modules to run.</summary>
public static class RoleSelection
{
    public static IReadOnlyList<ICloudModule> Parse(string? roles, IReadOnlyList<ICloudModule> modules)
    {
        var catalog = modules.Where(m => m.IsRole).ToList();
        if (string.IsNullOrWhiteSpace(roles))
        {
            throw FlagError.Of($"--roles is required: a comma-separated list of {Known(catalog)}, or all");
        }
        var names = roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Contains("all", StringComparer.Ordinal))
        {
            return catalog;
        }
        var selected = new List<ICloudModule>();
        foreach (var name in names)
        {
            var module = catalog.FirstOrDefault(m => m.Role == name)
                ?? throw FlagError.Of($"--roles: unknown role '{name}' (known: {Known(catalog)}, all)");
            if (!selected.Contains(module))
            {
                selected.Add(module);
            }
        }
        // Start in catalog order whatever order the operator wrote.
        return catalog.Where(selected.Contains).ToList();
    }

    private static string Known(List<ICloudModule> catalog) => string.Join(", ", catalog.Select(m => m.Role));
}
