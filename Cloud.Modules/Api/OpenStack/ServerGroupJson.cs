using System.Text.Json;
using Cloud.Modules.Api.OpenStack.Validation;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// The body of <c>POST /os-server-groups</c> checked as nova's schemas check it, with their messages: <c>policies</c> (a list of
/// exactly one) below 2.64, <c>policy</c> and <c>rules</c> from 2.64; the soft policies from 2.15; no other keys.
/// </summary>
public static class ServerGroupJson
{
    /// <summary>What a create asks for.</summary>
    public sealed record Asked(string Name, string Policy, long? MaxServerPerHost);

    public static Asked Parse(JsonElement body, Microversion version)
    {
        Object(body, "server_group", ["server_group"]);
        var modern = version.AtLeast(64);
        var group = Object(Required(body, "server_group", "server_group"), "server_group", modern ? ["name", "policy", "rules"] : ["name", "policies"]);
        var name = Name(group);
        var enumeration = version.AtLeast(15) ? ServerGroupPolicies.All : ServerGroupPolicies.Hard;
        if (modern)
        {
            var policy = Required(group, "server_group", "policy");
            var text = policy.ValueKind == JsonValueKind.String ? policy.GetString()! : "";
            if (!enumeration.Contains(text))
            {
                throw Bad("policy", policy, $"{PythonRepr.Repr(policy)} is not one of {PythonRepr.List(enumeration)}");
            }
            return new Asked(name, text, Rules(group));
        }
        var policies = Required(group, "server_group", "policies");
        if (policies.ValueKind != JsonValueKind.Array)
        {
            throw Bad("policies", policies, $"{policies.GetRawText()} is not of type 'array'");
        }
        if (policies.GetArrayLength() != 1)
        {
            throw Bad("policies", policies, policies.GetArrayLength() == 0 ? "[] is too short" : $"{policies.GetRawText()} is too long");
        }
        var first = policies[0];
        if (first.ValueKind != JsonValueKind.String || !enumeration.Contains(first.GetString()!))
        {
            throw Bad("policies", first, $"{PythonRepr.Repr(first)} is not one of {PythonRepr.List(enumeration)}");
        }
        return new Asked(name, first.GetString()!, null);
    }

    /// <summary>nova's <c>parameter_types.name</c>: 1 to 255 characters, no leading or trailing whitespace.</summary>
    private static string Name(JsonElement group)
    {
        var name = Required(group, "server_group", "name");
        if (name.ValueKind != JsonValueKind.String)
        {
            throw Bad("name", name, $"{name.GetRawText()} is not of type 'string'");
        }
        var text = name.GetString()!;
        if (text.Length == 0)
        {
            throw Bad("name", name, "'' is too short");
        }
        if (text.Length > 255)
        {
            throw Bad("name", name, $"'{text}' is too long");
        }
        if (text.Trim() != text || text.Any(char.IsControl))
        {
            throw Bad("name", name, $"'{text}' does not match the name format (no leading or trailing whitespace, no control characters)");
        }
        return text;
    }

    private static long? Rules(JsonElement group)
    {
        if (!group.TryGetProperty("rules", out var rules))
        {
            return null;
        }
        Object(rules, "rules", ["max_server_per_host"]);
        if (!rules.TryGetProperty("max_server_per_host", out var max))
        {
            return null;
        }
        var text = max.ValueKind == JsonValueKind.String ? max.GetString()! : max.GetRawText();
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value
            : throw Bad("max_server_per_host", max, $"{max.GetRawText()} is not a positive integer");
    }

    /// <summary>The object <paramref name="value"/> (named <paramref name="field"/> in messages) with no keys beyond <paramref name="allowed"/>.</summary>
    private static JsonElement Object(JsonElement value, string field, IReadOnlyList<string> allowed)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Bad(field, value, $"{value.GetRawText()} is not of type 'object'");
        }
        if (value.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !allowed.Contains(n)) is { } extra)
        {
            throw Bad(field, value, $"Additional properties are not allowed ('{extra}' was unexpected)");
        }
        return value;
    }

    private static JsonElement Required(JsonElement value, string parent, string name) =>
        value.TryGetProperty(name, out var member)
            ? member
            : throw CloudException.Invalid($"Invalid input for field/attribute {parent}. Value: {value.GetRawText()}. '{name}' is a required property");

    private static CloudException Bad(string field, JsonElement value, string why) =>
        CloudException.Invalid($"Invalid input for field/attribute {field}. Value: {Shown(value)}. {why}");

    private static string Shown(JsonElement value) => PythonRepr.Str(value);
}
