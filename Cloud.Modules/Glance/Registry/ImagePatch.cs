using System.Text.Json;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Glance.Registry;

/// <summary>
/// One operation of an image patch document: <c>add</c>, <c>replace</c> or <c>remove</c> of a top-level attribute or
/// property (<see cref="Attribute"/> is the JSON pointer, decoded). <c>application/openstack-images-v2.1-json-patch</c>
/// writes <c>{"op": "replace", "path": "/name", "value": ...}</c> (JSON Schema draft 10); the older
/// <c>application/openstack-images-v2.0-json-patch</c> writes <c>{"replace": "/name", "value": ...}</c> (draft 4).
/// </summary>
public sealed record ImagePatch(string Op, string Attribute, JsonElement? Value)
{
    private static readonly string[] Ops = ["add", "replace", "remove"];

    /// <summary>The media type of the older, draft-4 form.</summary>
    public const string Draft4MediaType = "application/openstack-images-v2.0-json-patch";

    /// <summary>Reads a patch document (<paramref name="draft4"/>: the v2.0 form); a malformed one is a 400 saying what is wrong.</summary>
    public static IReadOnlyList<ImagePatch> ParseDocument(JsonElement document, bool draft4 = false)
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
            var (op, path) = draft4 ? Draft4Operation(operation) : Draft10Operation(operation);
            JsonElement? value = null;
            if (op != "remove")
            {
                value = operation.TryGetProperty("value", out var v) ? v.Clone() : throw CloudException.Invalid($"Operation \"{op}\" requires a member named \"value\".");
            }
            patches.Add(new ImagePatch(op, AttributeOf(path), value));
        }
        return patches;
    }

    private static (string Op, string Path) Draft10Operation(JsonElement operation)
    {
        var op = StringMember(operation, "op")
            ?? throw CloudException.Invalid("Unable to find `op` in JSON Schema change. It must be one of the following: add, remove, replace.");
        if (!Ops.Contains(op))
        {
            throw CloudException.Invalid($"Invalid operation: `{op}`. It must be one of the following: add, remove, replace.");
        }
        return (op, StringMember(operation, "path") ?? throw CloudException.Invalid("Unable to find 'path' in JSON Schema change"));
    }

    /// <summary>The operation is the one member named add, remove or replace; its value is the path.</summary>
    private static (string Op, string Path) Draft4Operation(JsonElement operation)
    {
        var ops = Ops.Where(o => operation.TryGetProperty(o, out _)).ToList();
        if (ops.Count > 1)
        {
            throw CloudException.Invalid("Operation objects must contain only one member named \"add\", \"remove\", or \"replace\".");
        }
        if (ops.Count == 0)
        {
            throw CloudException.Invalid("Operation objects must contain exactly one member named \"add\", \"remove\", or \"replace\".");
        }
        return (ops[0], StringMember(operation, ops[0])!);
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
