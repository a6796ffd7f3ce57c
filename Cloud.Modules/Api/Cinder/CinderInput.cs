using System.Globalization;
using System.Text.Json;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Api.Cinder;

/// <summary>
/// The fields of Cinder request bodies, checked as Cinder's JSON schemas check them (cinder/api/validation): every refusal
/// a 400 "Invalid input for field/attribute X. Value: V. reason", never a 500.
/// </summary>
public static class CinderInput
{
    /// <summary>Cinder's DB_MAX_INT: the largest size, in GiB, a request may name.</summary>
    public const long MaxSize = int.MaxValue;

    /// <summary>A size in GiB (a positive integer, or a string of digits as cinderclient may send); null when absent or null.</summary>
    public static long? Size(JsonElement body, string field)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        if (value.ValueKind is not (JsonValueKind.Number or JsonValueKind.String)
            || !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var size))
        {
            throw Invalid(field, text, $"'{text}' is not an integer");
        }
        return size switch
        {
            < 1 => throw Invalid(field, text, $"{text} is less than the minimum of 1"),
            > MaxSize => throw Invalid(field, text, $"{text} is greater than the maximum of {MaxSize}"),
            _ => size,
        };
    }

    /// <summary>A string field of at most 255 characters (names, descriptions, ids); null when absent or null.</summary>
    public static string? Text(JsonElement body, string field, int maxLength = 255)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid(field, value.GetRawText(), $"{value.GetRawText()} is not of type 'string'");
        }
        var text = value.GetString()!;
        return text.Length <= maxLength ? text : throw Invalid(field, text[..Math.Min(text.Length, 40)] + "…", $"it is longer than {maxLength} characters");
    }

    /// <summary>The first of <paramref name="fields"/> present (v3's <c>name</c> or v1's <c>display_name</c>).</summary>
    public static string? Text(JsonElement body, params string[] fields) =>
        fields.Select(f => Text(body, f)).FirstOrDefault(v => v is not null);

    /// <summary>A boolean field: JSON true/false or Cinder's strings (true/false, yes/no, 1/0, on/off); null when absent.</summary>
    public static bool? Boolean(JsonElement body, string field)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => value.GetString()!.ToLowerInvariant() switch
            {
                "true" or "t" or "yes" or "y" or "1" or "on" => true,
                "false" or "f" or "no" or "n" or "0" or "off" => false,
                _ => throw Invalid(field, value.GetString()!, "it is not a boolean"),
            },
            _ => throw Invalid(field, value.GetRawText(), "it is not a boolean"),
        };
    }

    /// <summary>Metadata: an object of strings, keys 1–255 and values up to 255 characters; null when absent.</summary>
    public static Dictionary<string, string>? Metadata(JsonElement body, string field = "metadata")
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(field, value.GetRawText(), "an object of strings is expected");
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in value.EnumerateObject())
        {
            if (item.Name.Length is 0 or > 255 || item.Value.ValueKind != JsonValueKind.String || item.Value.GetString()!.Length > 255)
            {
                throw Invalid(field, item.Name, "metadata keys must be 1 to 255 characters and values strings of at most 255");
            }
            result[item.Name] = item.Value.GetString()!;
        }
        return result;
    }

    /// <summary>Refuses a field Cinder knows but this cloud does not implement, unless it is absent, null or false.</summary>
    public static void Unsupported(JsonElement body, string field, string what)
    {
        if (body.TryGetProperty(field, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.False))
        {
            throw CloudException.Invalid($"Invalid input received: {what} is not supported by this cloud.");
        }
    }

    public static CloudException Invalid(string field, string value, string reason) =>
        CloudException.Invalid($"Invalid input for field/attribute {field}. Value: {value}. {reason}");
}
