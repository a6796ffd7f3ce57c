using System.Text.Json;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Glance.Registry;

/// <summary>
/// One operation of an <c>application/openstack-images-v2.1-json-patch</c> document: <c>add</c>, <c>replace</c> or
/// <c>remove</c> of a top-level attribute or property (<see cref="Attribute"/> is the JSON pointer, decoded).
/// </summary>
public sealed record ImagePatch(string Op, string Attribute, JsonElement? Value)
{
    private static readonly string[] Ops = ["add", "replace", "remove"];

    /// <summary>Reads a patch document; a malformed one is a 400 saying what is wrong.</summary>
    public static IReadOnlyList<ImagePatch> ParseDocument(JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Array)
        {
            throw CloudException.Invalid("Request body must be a JSON array of operation objects.");
        }
        var patches = new List<ImagePatch>();
        foreach (var operation in document.EnumerateArray())
        {
            if (operation.ValueKind != JsonValueKind.Object)
            {
                throw CloudException.Invalid("Operations must be JSON objects.");
            }
            var op = StringMember(operation, "op") ?? throw CloudException.Invalid("Unable to find 'op' in JSON Schema change.");
            if (!Ops.Contains(op))
            {
                throw CloudException.Invalid($"Invalid operation: '{op}'; use add, replace or remove.");
            }
            var path = StringMember(operation, "path") ?? throw CloudException.Invalid("Unable to find 'path' in JSON Schema change.");
            JsonElement? value = null;
            if (op != "remove")
            {
                value = operation.TryGetProperty("value", out var v) ? v.Clone() : throw CloudException.Invalid($"Operation '{op}' on {path} needs a 'value'.");
            }
            patches.Add(new ImagePatch(op, AttributeOf(path), value));
        }
        return patches;
    }

    private static string? StringMember(JsonElement operation, string name) =>
        !operation.TryGetProperty(name, out var member) ? null
        : member.ValueKind == JsonValueKind.String ? member.GetString()
        : throw CloudException.Invalid($"'{name}' must be a string.");

    /// <summary>The attribute a JSON pointer names; only top-level members can be patched.</summary>
    private static string AttributeOf(string path)
    {
        if (!path.StartsWith('/') || path.Length == 1)
        {
            throw CloudException.Invalid($"Invalid JSON pointer '{path}': it must start with / and name an attribute.");
        }
        var segments = path[1..].Split('/');
        if (segments[0] == "locations")
        {
            throw CloudException.Forbidden("Image locations cannot be changed through this API.");
        }
        if (segments.Length > 1)
        {
            throw CloudException.Invalid($"Invalid JSON pointer '{path}': nested paths are not allowed.");
        }
        return segments[0].Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
    }
}
