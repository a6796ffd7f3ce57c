using System.Text.Json;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>nova's jsonschema messages for bodies that fail its request schemas (<c>nova/api/validation/validators.py</c>).</summary>
public static class NovaSchema
{
    /// <summary><c>Invalid input for field/attribute ram. Value: 0. 0 is less than the minimum of 1</c>.</summary>
    public static CloudException Invalid(string field, string value, string why) =>
        CloudException.Invalid($"Invalid input for field/attribute {field}. Value: {value}. {why}");

    /// <summary>A property the schema does not allow, inside <paramref name="field"/> (null: at the top of the body).</summary>
    public static CloudException Unexpected(string? field, string value, string name) => field is null
        ? CloudException.Invalid($"Additional properties are not allowed ('{name}' was unexpected)")
        : Invalid(field, value, $"Additional properties are not allowed ('{name}' was unexpected)");

    /// <summary>nova's <c>parameter_types.boolean</c>: a JSON boolean or one of oslo's strict boolean strings.</summary>
    public static bool Boolean(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when value.GetString()!.ToLowerInvariant() is "1" or "t" or "true" or "on" or "y" or "yes" => true,
        JsonValueKind.String when value.GetString()!.ToLowerInvariant() is "0" or "f" or "false" or "off" or "n" or "no" => false,
        _ => throw Invalid(field, value.GetRawText(), $"{value.GetRawText()} is not of type 'boolean', 'string'"),
    };
}
