using System.Globalization;
using System.Text.Json;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// nova's quota resources and which of them each microversion shows and takes: the network ones (fixed_ips,
/// floating_ips, security_groups, security_group_rules) go at 2.36 for quota sets (2.50 for quota classes), the
/// injected file ones at 2.57; quota classes show server groups from 2.50 only.
/// </summary>
public static class NovaQuotaResources
{
    private static readonly string[] All =
    [
        "instances", "cores", "ram", "floating_ips", "fixed_ips", "metadata_items", "key_pairs", "security_groups", "security_group_rules",
        "injected_files", "injected_file_content_bytes", "injected_file_path_bytes", "server_groups", "server_group_members",
    ];

    private static readonly string[] Network = ["fixed_ips", "floating_ips", "security_groups", "security_group_rules"];

    private static readonly string[] Injected = ["injected_files", "injected_file_content_bytes", "injected_file_path_bytes"];

    private static readonly string[] ServerGroups = ["server_groups", "server_group_members"];

    /// <summary>The resources <c>os-quota-sets</c> shows and takes at <paramref name="version"/>.</summary>
    public static IReadOnlyList<string> OfQuotaSets(Microversion version) =>
        [.. All.Where(r => !(version.AtLeast(36) && Network.Contains(r)) && !(version.AtLeast(57) && Injected.Contains(r)))];

    /// <summary>The resources <c>os-quota-class-sets</c> shows and takes at <paramref name="version"/>.</summary>
    public static IReadOnlyList<string> OfQuotaClasses(Microversion version) =>
        [.. All.Where(r => (version.AtLeast(50) ? !Network.Contains(r) : !ServerGroups.Contains(r)) && !(version.AtLeast(57) && Injected.Contains(r)))];

    /// <summary>A resource's limit; -1 (unlimited) for one cloudd does not keep, such as fixed_ips.</summary>
    public static long Limit(IReadOnlyDictionary<string, long> limits, string resource)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return limits.TryGetValue(resource, out var value) ? value : -1;
    }

    /// <summary>A quota set in nova's shape: the limit of each shown resource (fixed_ips, which cloudd does not count, is -1).</summary>
    public static Dictionary<string, object> Format(string? id, IReadOnlyList<string> shown, Func<string, object> valueOf)
    {
        ArgumentNullException.ThrowIfNull(shown);
        ArgumentNullException.ThrowIfNull(valueOf);
        var json = new Dictionary<string, object>(StringComparer.Ordinal);
        if (id is not null)
        {
            json["id"] = id;
        }
        foreach (var resource in shown)
        {
            json[resource] = valueOf(resource);
        }
        return json;
    }

    /// <summary>
    /// The limits of an update body's <paramref name="member"/> (<c>quota_set</c> or <c>quota_class_set</c>), checked as
    /// nova's schema checks them (integers or integer strings, -1 or more, only the resources <paramref name="allowed"/>
    /// plus <paramref name="extra"/>); returns the limits and the other fields given.
    /// </summary>
    public static (Dictionary<string, long> Limits, Dictionary<string, JsonElement> Others) ParseUpdate(
        JsonElement body, string member, IReadOnlyList<string> allowed, params string[] extra)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        if (body.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n != member) is { } unexpected)
        {
            throw NovaSchema.Unexpected(null, body.GetRawText(), unexpected);
        }
        var set = NovaJson.Member(body, member);
        var limits = new Dictionary<string, long>(StringComparer.Ordinal);
        var others = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in set.EnumerateObject())
        {
            if (extra.Contains(property.Name, StringComparer.Ordinal))
            {
                others[property.Name] = property.Value;
                continue;
            }
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                throw NovaSchema.Unexpected(member, set.GetRawText(), property.Name);
            }
            limits[property.Name] = Limit(property);
        }
        return (limits, others);
    }

    private static long Limit(JsonProperty property)
    {
        var value = property.Value;
        var raw = value.GetRawText();
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => raw,
            JsonValueKind.String => value.GetString()!,
            _ => throw NovaSchema.Invalid(property.Name, raw, $"{raw} is not of type 'integer', 'string'"),
        };
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) || (value.ValueKind == JsonValueKind.String && text.StartsWith('+')))
        {
            throw NovaSchema.Invalid(property.Name, text, value.ValueKind == JsonValueKind.String ? $"'{text}' does not match '^-?[0-9]+$'" : $"{raw} is not of type 'integer', 'string'");
        }
        return number < -1 ? throw NovaSchema.Invalid(property.Name, text, $"{text} is less than the minimum of -1")
            : number > int.MaxValue ? throw NovaSchema.Invalid(property.Name, text, $"{text} is greater than the maximum of {int.MaxValue}")
            : number;
    }
}
