using System.Text.Json;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary>Reads and validates the entities of Keystone's administration requests (its <c>*/schema.py</c> limits), every failure a 400.</summary>
public static class KeystoneInput
{
    /// <summary>The <paramref name="entity"/> object of the request body (<c>{"project": {...}}</c>).</summary>
    public static async Task<JsonElement> EntityAsync(HttpRequest request, string entity, CancellationToken cancellationToken)
    {
        var body = await KeystoneJson.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        return KeystoneJson.Object(body, entity) is { ValueKind: JsonValueKind.Object } value
            ? value
            : throw CloudException.Invalid($"Invalid input for field '{entity}': '{entity}' is a required property and must be an object.");
    }

    /// <summary>A name of 1 to <paramref name="max"/> characters, not blank; null when absent and not <paramref name="required"/>.</summary>
    public static string? Name(JsonElement entity, string field, int max, bool required)
    {
        if (!Has(entity, field))
        {
            return required ? throw CloudException.Invalid($"Invalid input for field '{field}': '{field}' is a required property.") : null;
        }
        var value = KeystoneJson.String(entity, field) ?? throw CloudException.Invalid($"Invalid input for field '{field}': None is not of type 'string'.");
        return value.Length > max || string.IsNullOrWhiteSpace(value) || value.Any(char.IsControl)
            ? throw CloudException.Invalid($"Invalid input for field '{field}': it must be 1 to {max} characters, not blank.")
            : value;
    }

    /// <summary>A free text (a description, an email) up to <paramref name="max"/> characters; null when absent or null.</summary>
    public static string? Text(JsonElement entity, string field, int max = 255)
    {
        var value = KeystoneJson.String(entity, field);
        return value is { Length: var n } && n > max ? throw CloudException.Invalid($"Invalid input for field '{field}': it is longer than {max} characters.") : value;
    }

    /// <summary>A boolean; null when absent.</summary>
    public static bool? Bool(JsonElement entity, string field) => !entity.TryGetProperty(field, out var value)
        ? null
        : value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw CloudException.Invalid($"Invalid input for field '{field}': {value.GetRawText()} is not of type 'boolean'."),
        };

    /// <summary>Project tags: up to 80 strings of 1 to 255 characters without '/' or ','; null when absent.</summary>
    public static IReadOnlyList<string>? Tags(JsonElement entity, string field = "tags")
    {
        if (!entity.TryGetProperty(field, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > 80)
        {
            throw CloudException.Invalid($"Invalid input for field '{field}': it must be a list of at most 80 tags.");
        }
        return [.. value.EnumerateArray().Select(t => Tag(t.ValueKind == JsonValueKind.String ? t.GetString()! : null))];
    }

    /// <summary>One tag, checked.</summary>
    public static string Tag(string? tag) =>
        tag is { Length: > 0 and <= 255 } && !tag.Contains('/', StringComparison.Ordinal) && !tag.Contains(',', StringComparison.Ordinal) && !tag.Any(char.IsControl)
            ? tag
            : throw CloudException.Invalid($"Invalid input for field 'tags': '{tag}' is not a valid tag (1 to 255 characters, no '/' or ',').");

    public static bool Has(JsonElement entity, string field) => entity.TryGetProperty(field, out _);

    /// <summary>A query flag (<c>?effective</c>, <c>?include_names=true</c>): present without a value, or a true-ish value.</summary>
    public static bool Flag(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var value) && (value.ToString() is "" or "1" || value.ToString().Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>A query filter's value; null when absent.</summary>
    public static string? Query(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var value) ? value.ToString() : null;

    public static string Route(HttpContext context, string name) => (string)context.Request.RouteValues[name]!;
}
