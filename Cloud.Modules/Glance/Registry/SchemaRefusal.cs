using System.Text;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Glance.Registry;

/// <summary>
/// Glance's 400 for a value its image schema's enum does not list: jsonschema's error text, with the schema and the
/// value in Python's notation, so clients and scripts that match on it read what they read from glance.
/// </summary>
public static class SchemaRefusal
{
    /// <summary>The refusal of <paramref name="value"/> for <paramref name="attribute"/>, whose schema enum is null and <paramref name="allowed"/>.</summary>
    public static CloudException NotInEnum(string attribute, string description, IReadOnlyList<string> allowed, string value)
    {
        var listed = string.Join(", ", allowed.Select(Repr));
        var text = new StringBuilder()
            .Append($"Provided object does not match schema 'image': {Repr(value)} is not one of [None, {listed}]\n\n")
            .Append($"Failed validating 'enum' in schema['properties'][{Repr(attribute)}]:\n")
            .Append($"    {{'description': {Repr(description)},\n")
            .Append("     'enum': [None,\n")
            .Append(string.Concat(allowed.Select((a, n) => $"              {Repr(a)}{(n == allowed.Count - 1 ? "]," : ",")}\n")))
            .Append("     'type': ['null', 'string']}\n\n")
            .Append($"On instance[{Repr(attribute)}]:\n    {Repr(value)}");
        return CloudException.Invalid(text.ToString());
    }

    /// <summary>Python's <c>repr</c> of a string: single quotes unless it holds one and no double quote.</summary>
    private static string Repr(string text)
    {
        var quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var escaped = text.Replace("\\", "\\\\", StringComparison.Ordinal);
        escaped = quote == '\'' ? escaped.Replace("'", "\\'", StringComparison.Ordinal) : escaped;
        return $"{quote}{escaped}{quote}";
    }
}
