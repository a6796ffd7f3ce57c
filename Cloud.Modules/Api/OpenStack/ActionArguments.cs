using System.Text.Json;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>nova's JSON-schema checks of a server action's value, with its messages (<c>Invalid input for field/attribute ...</c>).</summary>
public static class ActionArguments
{
    /// <summary>The action's value when it is an object with only <paramref name="allowed"/> keys; null when it is null (<c>{"rescue": null}</c>).</summary>
    public static JsonElement? ObjectOrNull(JsonElement value, string action, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(action, value, $"{value.GetRawText()} is not of type 'object', 'null'");
        }
        RequireOnly(value, action, allowed);
        return value;
    }

    /// <summary>nova's <c>additionalProperties: false</c>: the object <paramref name="value"/> has no member but <paramref name="allowed"/>.</summary>
    public static void RequireOnly(JsonElement value, string path, params string[] allowed)
    {
        // Names, not JsonProperty: a default JsonProperty throws when asked its name.
        if (value.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !allowed.Contains(n, StringComparer.Ordinal)) is { } unexpected)
        {
            throw Invalid(path, value, $"Additional properties are not allowed ('{unexpected}' was unexpected)");
        }
    }

    /// <summary>An optional string member of <paramref name="value"/> of <paramref name="minLength"/> to <paramref name="maxLength"/> characters.</summary>
    public static string? OptionalString(JsonElement? value, string action, string name, int minLength, int maxLength)
    {
        if (value is not { } args || !args.TryGetProperty(name, out var member))
        {
            return null;
        }
        var path = $"{action}/{name}";
        if (member.ValueKind != JsonValueKind.String)
        {
            throw Invalid(path, member, $"{member.GetRawText()} is not of type 'string'");
        }
        var text = member.GetString()!;
        if (text.Length < minLength)
        {
            throw Invalid(path, member, $"'{text}' is too short");
        }
        return text.Length > maxLength ? throw Invalid(path, member, $"'{text}' is too long") : text;
    }

    /// <summary>nova's validation error: <c>Invalid input for field/attribute &lt;path&gt;. Value: &lt;value&gt;. &lt;reason&gt;</c>.</summary>
    public static CloudException Invalid(string path, JsonElement value, string reason) =>
        CloudException.Invalid($"Invalid input for field/attribute {path}. Value: {value.GetRawText()}. {reason}");
}
