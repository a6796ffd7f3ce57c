using System.Globalization;

namespace Cloud.Modules.Swift.Common;

/// <summary>
/// The cluster's storage policies (swift.conf's <c>[storage-policy:N]</c> sections), from the flag
/// <c>swift_storage_policies</c>: entries separated by commas, each <c>N:name[|alias...][:default]</c>, e.g.
/// <c>0:Policy-0:default,1:silver|fast</c>. As swift requires: index 0 exists, indexes and names are unique, and exactly
/// one policy is the default (the only one, when there is one).
/// </summary>
public sealed class SwiftStoragePolicies
{
    /// <summary>The flag's value when none is given: swift's single Policy-0.</summary>
    public const string Single = "0:Policy-0:default";

    /// <summary>Policy indexes travel between the proxy and the storage servers in this header.</summary>
    public const string IndexHeader = "X-Backend-Storage-Policy-Index";

    /// <summary>The index a container gets when its PUT names no policy (swift's X-Backend-Storage-Policy-Default).</summary>
    public const string DefaultHeader = "X-Backend-Storage-Policy-Default";

    private SwiftStoragePolicies(IReadOnlyList<SwiftStoragePolicy> all) => All = all;

    /// <summary>Every policy, by index.</summary>
    public IReadOnlyList<SwiftStoragePolicy> All { get; }

    /// <summary>The policy of new containers that name none.</summary>
    public SwiftStoragePolicy Default => All.Single(p => p.IsDefault);

    /// <summary>The policy a client's X-Storage-Policy names; null when none has that name or alias.</summary>
    public SwiftStoragePolicy? Named(string name) => All.FirstOrDefault(p => p.IsNamed(name.Trim()));

    /// <summary>The policy of <paramref name="index"/>; null when the cluster has none (a header from elsewhere).</summary>
    public SwiftStoragePolicy? ByIndex(int index) => All.FirstOrDefault(p => p.Index == index);

    /// <summary>Reads the flag's value; a message naming what is wrong when it cannot be used.</summary>
    public static SwiftStoragePolicies Parse(string text, out string? problem)
    {
        problem = null;
        var policies = new List<SwiftStoragePolicy>();
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split(':', StringSplitOptions.TrimEntries);
            var names = parts.Length >= 2 ? parts[1].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
            if (parts.Length is < 2 or > 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                || names.Length == 0 || (parts.Length == 3 && parts[2] != "default"))
            {
                problem = $"'{entry}' is not N:name[|alias...][:default]";
                break;
            }
            policies.Add(new SwiftStoragePolicy(index, names[0], names[1..], parts.Length == 3));
        }
        if (problem is null && policies.Count == 1 && !policies[0].IsDefault)
        {
            // A lone policy is the default whether or not it says so, as in swift.
            policies[0] = policies[0] with { IsDefault = true };
        }
        problem ??= policies.Count == 0 ? "names no policy"
            : policies.All(p => p.Index != 0) ? "needs a policy 0 (the ring object.ring.gz)"
            : policies.Select(p => p.Index).Distinct().Count() != policies.Count ? "repeats an index"
            : policies.SelectMany(p => p.Aliases.Prepend(p.Name)).Distinct(StringComparer.OrdinalIgnoreCase).Count()
                != policies.Sum(p => p.Aliases.Count + 1) ? "repeats a name or alias"
            : policies.Count(p => p.IsDefault) != 1 ? "needs exactly one default policy"
            : null;
        return new SwiftStoragePolicies(policies.OrderBy(p => p.Index).ToList());
    }

    /// <summary>The ring file of a policy's objects: object.ring.gz for 0, object-N.ring.gz otherwise (swift's names).</summary>
    public static string RingName(int index) => index == 0 ? "object" : string.Create(CultureInfo.InvariantCulture, $"object-{index}");

    /// <summary>The directory of a policy's objects on a device: objects for 0, objects-N otherwise (swift's layout).</summary>
    public static string DataDirectory(int index) => index == 0 ? "objects" : string.Create(CultureInfo.InvariantCulture, $"objects-{index}");
}
