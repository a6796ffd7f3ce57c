using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cloud.Modules.Api.OpenStack.Validation;

/// <summary>
/// Evaluates a <see cref="JsonSchema"/> as python-jsonschema's Draft4Validator with nova's format checker and its
/// number-from-string minimum/maximum: keywords in the order nova's schemas write them (type, enum, lengths,
/// pattern, format, bounds, properties, required, additionalProperties, items, oneOf), first error wins.
/// </summary>
public static class SchemaValidator
{
    /// <summary>Patterns compile once; tenants never supply them (they come from the schemas).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    public static SchemaError? FirstError(JsonSchema schema, JsonElement instance, IReadOnlyList<object> path)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(path);
        return TypeError(schema, instance, path)
            ?? StringError(schema, instance, path)
            ?? BoundsError(schema, instance, path)
            ?? ObjectError(schema, instance, path)
            ?? ArrayError(schema, instance, path)
            ?? OneOfError(schema, instance, path);
    }

    private static SchemaError? TypeError(JsonSchema schema, JsonElement instance, IReadOnlyList<object> path)
    {
        if (schema.Types is { } types && !types.Any(t => IsType(instance, t)))
        {
            return new(path, instance, $"{PythonRepr.Repr(instance)} is not of type {string.Join(", ", types.Select(PythonRepr.String))}");
        }
        if (schema.Enum is { } values && !values.Any(v => InEnum(v, instance)))
        {
            return new(path, instance, $"{PythonRepr.Repr(instance)} is not one of [{string.Join(", ", values.Select(v => v is bool b ? (b ? "True" : "False") : PythonRepr.String((string)v)))}]");
        }
        return null;
    }

    private static SchemaError? StringError(JsonSchema schema, JsonElement instance, IReadOnlyList<object> path)
    {
        if (instance.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        var text = instance.GetString()!;
        // Python counts code points, .NET UTF-16 units.
        var length = text.EnumerateRunes().Count();
        if (length < schema.MinLength)
        {
            return new(path, instance, $"{PythonRepr.Repr(instance)} is too short");
        }
        if (length > schema.MaxLength)
        {
            return new(path, instance, $"{PythonRepr.Repr(instance)} is too long");
        }
        if (schema.Pattern is { } pattern && !Compiled(pattern).IsMatch(text))
        {
            return new(path, instance, $"{PythonRepr.Repr(instance)} does not match {PythonRepr.String(pattern)}");
        }
        if (schema.Format is { } format && SchemaFormats.Check(format, text) is { } failure)
        {
            return new(path, instance, $"{PythonRepr.Repr(instance)} is not a {PythonRepr.String(format)}", failure.Length == 0 ? null : failure);
        }
        return null;
    }

    private static SchemaError? BoundsError(JsonSchema schema, JsonElement instance, IReadOnlyList<object> path)
    {
        if (schema.Minimum is null && schema.Maximum is null)
        {
            return null;
        }
        double? value = instance.ValueKind switch
        {
            JsonValueKind.Number => instance.GetDouble(),
            JsonValueKind.String when double.TryParse(instance.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
        if (value < schema.Minimum)
        {
            return new(path, instance, $"{NumberRepr(instance)} is less than the minimum of {schema.Minimum}");
        }
        if (value > schema.Maximum)
        {
            return new(path, instance, $"{NumberRepr(instance)} is greater than the maximum of {schema.Maximum}");
        }
        return null;
    }

    private static SchemaError? ObjectError(JsonSchema schema, JsonElement instance, IReadOnlyList<object> path)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        foreach (var (name, property) in schema.Properties ?? [])
        {
            if (instance.TryGetProperty(name, out var value) && FirstError(property, value, [.. path, name]) is { } error)
            {
                return error;
            }
        }
        foreach (var (pattern, property) in schema.PatternProperties ?? [])
        {
            foreach (var member in instance.EnumerateObject().Where(m => Compiled(pattern).IsMatch(m.Name)))
            {
                if (FirstError(property, member.Value, [.. path, member.Name]) is { } error)
                {
                    return error;
                }
            }
        }
        if ((schema.Required ?? []).FirstOrDefault(r => !instance.TryGetProperty(r, out _)) is { } missing)
        {
            return new(path, instance, $"{PythonRepr.String(missing)} is a required property");
        }
        if (CountError(schema, instance, path) is { } countError)
        {
            return countError;
        }
        if (schema.AdditionalProperties)
        {
            return null;
        }
        var extras = instance.EnumerateObject().Select(m => m.Name)
            .Where(n => !(schema.Properties ?? []).Any(p => p.Key == n) && !(schema.PatternProperties ?? []).Any(p => Compiled(p.Key).IsMatch(n)))
            .Order(StringComparer.Ordinal).ToList();
        if (extras.Count == 0)
        {
            return null;
        }
        var joined = string.Join(", ", extras.Select(PythonRepr.String));
        return schema.PatternProperties is { Count: > 0 } patterns
            ? new(path, instance, $"{joined} {(extras.Count == 1 ? "does" : "do")} not match any of the regexes: {string.Join(", ", patterns.Select(p => PythonRepr.String(p.Key)).Order(StringComparer.Ordinal))}")
            : new(path, instance, $"Additional properties are not allowed ({joined} {(extras.Count == 1 ? "was" : "were")} unexpected)");
    }

    private static SchemaError? CountError(JsonSchema schema, JsonElement instance, IReadOnlyList<object> path)
    {
        var count = instance.EnumerateObject().Count();
        return count < schema.MinProperties ? new(path, instance, $"{PythonRepr.Repr(instance)} does not have enough properties")
            : count > schema.MaxProperties ? new(path, instance, $"{PythonRepr.Repr(instance)} has too many properties")
            : null;
    }

    private static SchemaError? ArrayError(JsonSchema schema, JsonElement instance, IReadOnlyList<object> path)
    {
        if (instance.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        if (schema.Items is { } items)
        {
            var index = 0;
            foreach (var item in instance.EnumerateArray())
            {
                if (FirstError(items, item, [.. path, index++]) is { } error)
                {
                    return error;
                }
            }
        }
        var count = instance.GetArrayLength();
        if (count < schema.MinItems)
        {
            return new(path, instance, $"{PythonRepr.Repr(instance)} is too short");
        }
        if (count > schema.MaxItems)
        {
            return new(path, instance, $"{PythonRepr.Repr(instance)} is too long");
        }
        if (schema.UniqueItems && instance.EnumerateArray().Select(e => e.GetRawText()).Distinct(StringComparer.Ordinal).Count() != count)
        {
            return new(path, instance, $"{PythonRepr.Repr(instance)} has non-unique elements");
        }
        return null;
    }

    private static SchemaError? OneOfError(JsonSchema schema, JsonElement instance, IReadOnlyList<object> path)
    {
        if (schema.OneOf is not { } choices)
        {
            return null;
        }
        var valid = choices.Count(c => FirstError(c, instance, path) is null);
        return valid switch
        {
            0 => new(path, instance, $"{PythonRepr.Repr(instance)} is not valid under any of the given schemas"),
            1 => null,
            _ => new(path, instance, $"{PythonRepr.Repr(instance)} is valid under each of the given schemas"),
        };
    }

    private static bool InEnum(object value, JsonElement instance) => value switch
    {
        bool b => instance.ValueKind == (b ? JsonValueKind.True : JsonValueKind.False),
        string text => instance.ValueKind == JsonValueKind.String && instance.GetString() == text,
        _ => false,
    };

    private static bool IsType(JsonElement instance, string type) => type switch
    {
        "string" => instance.ValueKind == JsonValueKind.String,
        "integer" => instance.ValueKind == JsonValueKind.Number && instance.TryGetInt64(out _) && !instance.GetRawText().Contains('.', StringComparison.Ordinal),
        "number" => instance.ValueKind == JsonValueKind.Number,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "null" => instance.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static string NumberRepr(JsonElement instance) =>
        instance.ValueKind == JsonValueKind.String ? instance.GetString()! : PythonRepr.Repr(instance);

    private static Regex Compiled(string pattern) =>
        Patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
}
