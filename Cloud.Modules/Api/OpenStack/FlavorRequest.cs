using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// <c>POST /flavors</c> and <c>PUT /flavors/{id}</c> bodies checked as nova's <c>flavor_manage</c> schemas check them, with
/// its jsonschema messages (<c>Invalid input for field/attribute ram. Value: 0. 0 is less than the minimum of 1</c>).
/// </summary>
public static partial class FlavorRequest
{
    private const long MaxInt = int.MaxValue;

    private static readonly string[] Known =
        ["name", "id", "ram", "vcpus", "disk", "OS-FLV-EXT-DATA:ephemeral", "swap", "rxtx_factor", "os-flavor-access:is_public"];

    public static FlavorSpec Create(JsonElement body, Microversion version)
    {
        RequireOnly(body, null, "flavor");
        var flavor = NovaJson.Member(body, "flavor");
        var allowed = version.AtLeast(55) ? [.. Known, "description"] : Known;
        RequireOnly(flavor, "flavor", allowed);
        foreach (var required in new[] { "name", "ram", "vcpus", "disk" })
        {
            if (!flavor.TryGetProperty(required, out _))
            {
                throw NovaSchema.Invalid("flavor", flavor.GetRawText(), $"'{required}' is a required property");
            }
        }
        var name = flavor.GetProperty("name");
        if (name.ValueKind != JsonValueKind.String)
        {
            throw NovaSchema.Invalid("name", name.GetRawText(), $"{name.GetRawText()} is not of type 'string'");
        }
        var text = name.GetString()!;
        if (text.Length is < 1 or > 255)
        {
            throw NovaSchema.Invalid("name", text, text.Length == 0 ? "'' is too short" : $"'{text}' is too long");
        }
        if (text.Trim() != text || text.Any(char.IsControl))
        {
            throw CloudException.Invalid("An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.");
        }
        return new FlavorSpec(
            text,
            Number(flavor, "ram", 1) ?? 0,
            Number(flavor, "vcpus", 1) ?? 0,
            Number(flavor, "disk", 0) ?? 0,
            Id(flavor),
            Number(flavor, "swap", 0) ?? 0,
            Number(flavor, "OS-FLV-EXT-DATA:ephemeral", 0) ?? 0,
            Rxtx(flavor),
            Boolean(flavor, "os-flavor-access:is_public") ?? true,
            Description(flavor));
    }

    /// <summary>The description of <c>PUT /flavors/{id}</c> (2.55), the one field it may change; null clears it.</summary>
    public static string? Update(JsonElement body)
    {
        RequireOnly(body, null, "flavor");
        var flavor = NovaJson.Member(body, "flavor");
        RequireOnly(flavor, "flavor", "description");
        return flavor.TryGetProperty("description", out _)
            ? Description(flavor)
            : throw NovaSchema.Invalid("flavor", flavor.GetRawText(), "'description' is a required property");
    }

    private static string? Id(JsonElement flavor)
    {
        if (!flavor.TryGetProperty("id", out var id) || id.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        var text = id.ValueKind switch
        {
            JsonValueKind.String => id.GetString()!,
            JsonValueKind.Number => id.GetRawText(),
            _ => throw NovaSchema.Invalid("id", id.GetRawText(), $"{id.GetRawText()} is not of type 'string', 'number', 'null'"),
        };
        return text.Length <= 255 && IdPattern().IsMatch(text)
            ? text
            : throw NovaSchema.Invalid("id", text, text.Length > 255 ? $"'{text}' is too long" : $"'{text}' does not match '^(?! )[a-zA-Z0-9. _-]+(?<! )$'");
    }

    private static long? Number(JsonElement flavor, string field, long minimum)
    {
        if (!flavor.TryGetProperty(field, out var value))
        {
            return null;
        }
        var raw = value.GetRawText();
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => raw,
            _ => throw NovaSchema.Invalid(field, raw, $"{raw} is not of type 'integer', 'string'"),
        };
        if (value.ValueKind == JsonValueKind.String && !DigitsPattern().IsMatch(text))
        {
            throw NovaSchema.Invalid(field, text, $"'{text}' does not match '^[0-9]*$'");
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            throw NovaSchema.Invalid(field, text, $"{raw} is not of type 'integer', 'string'");
        }
        return number < minimum ? throw NovaSchema.Invalid(field, text, $"{text} is less than the minimum of {minimum}")
            : number > MaxInt ? throw NovaSchema.Invalid(field, text, $"{text} is greater than the maximum of {MaxInt}")
            : number;
    }

    private static double Rxtx(JsonElement flavor)
    {
        if (!flavor.TryGetProperty("rxtx_factor", out var value))
        {
            return 1;
        }
        var raw = value.GetRawText();
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => raw,
            _ => throw NovaSchema.Invalid("rxtx_factor", raw, $"{raw} is not of type 'number', 'string'"),
        };
        if (value.ValueKind == JsonValueKind.String && !FactorPattern().IsMatch(text))
        {
            throw NovaSchema.Invalid("rxtx_factor", text, $"'{text}' does not match '^[0-9]+(\\.[0-9]+)?$'");
        }
        var number = double.Parse(text, CultureInfo.InvariantCulture);
        return number <= 0 ? throw NovaSchema.Invalid("rxtx_factor", text, $"{text} is less than or equal to the minimum of 0")
            : number > 3.40282e+38 ? throw NovaSchema.Invalid("rxtx_factor", text, $"{text} is greater than the maximum of 3.40282e+38")
            : number;
    }

    private static bool? Boolean(JsonElement flavor, string field) =>
        flavor.TryGetProperty(field, out var value) ? NovaSchema.Boolean(value, field) : null;

    private static string? Description(JsonElement flavor)
    {
        if (!flavor.TryGetProperty("description", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw NovaSchema.Invalid("description", value.GetRawText(), $"{value.GetRawText()} is not of type 'string', 'null'");
        }
        var text = value.GetString()!;
        return text.Length > 65535 ? throw NovaSchema.Invalid("description", text, $"'{text[..20]}...' is too long")
            : text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')) ? throw NovaSchema.Invalid("description", text, $"'{text}' does not match the valid description pattern")
            : text;
    }

    private static void RequireOnly(JsonElement body, string? field, params string[] allowed)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                throw NovaSchema.Unexpected(field, body.GetRawText(), property.Name);
            }
        }
    }

    [GeneratedRegex("^(?! )[a-zA-Z0-9. _-]+(?<! )$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[0-9]*$")]
    private static partial Regex DigitsPattern();

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)?$")]
    private static partial Regex FactorPattern();
}
