using System.Text.Json;
using Cloud.Modules.Api.OpenStack.Validation;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Api.Keystone.Schemas;

/// <summary>
/// Keystone's 400 for a body its jsonschema refuses (keystone/common/validation/validators.py): python-jsonschema's
/// str(ValidationError), the failing subschema and instance printed as python dictionaries (keys sorted, as pprint
/// does), after "Invalid input for field 'a/b': " when the error lies below the validated document.
/// </summary>
public static class KeystoneSchemaError
{
    /// <summary>The error for <paramref name="property"/> missing from the object at <paramref name="path"/> of <paramref name="instance"/>.</summary>
    /// <param name="schema">The whole schema Keystone validates with (a JSON rendering of its python dictionary).</param>
    /// <param name="property">The required property that is missing.</param>
    /// <param name="instance">The whole validated document.</param>
    /// <param name="path">Property names from the document down to the object lacking <paramref name="property"/>.</param>
    public static CloudException Required(JsonElement schema, string property, JsonElement instance, params string[] path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var (subschema, subinstance) = (schema, instance);
        foreach (var name in path)
        {
            subschema = subschema.GetProperty("properties").GetProperty(name);
            subinstance = subinstance.GetProperty(name);
        }
        var schemaPath = string.Concat(path.Select(n => $"['properties'][{PythonRepr.String(n)}]"));
        var instancePath = string.Concat(path.Select(n => $"[{PythonRepr.String(n)}]"));
        var text = $"{PythonRepr.String(property)} is a required property\n\nFailed validating 'required' in schema{schemaPath}:\n    {Sorted(subschema)}"
            + $"\n\nOn instance{instancePath}:\n    {Sorted(subinstance)}";
        return CloudException.Invalid(path.Length == 0 ? text : $"Invalid input for field '{string.Join('/', path)}': {text}");
    }

    /// <summary>A schema written as JSON, parsed once.</summary>
    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    /// <summary>Python's repr with dictionary keys in pprint's order (sorted by code point).</summary>
    private static string Sorted(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(", ", value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => PythonRepr.String(p.Name) + ": " + Sorted(p.Value))) + "}",
        JsonValueKind.Array => "[" + string.Join(", ", value.EnumerateArray().Select(Sorted)) + "]",
        _ => PythonRepr.Repr(value),
    };
}
