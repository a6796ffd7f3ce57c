using Cloud.Modules.Kernel;

namespace Cloud.Modules.Api.OpenStack.Validation;

/// <summary>One validation error: where (the path of keys and indexes), the value there, and jsonschema's message.</summary>
public sealed record SchemaError(IReadOnlyList<object> Path, System.Text.Json.JsonElement Instance, string Message, string? Cause = null)
{
    /// <summary>
    /// Nova's 400 text (nova/api/validation/validators.py): a format error with its own cause (an invalid name) says
    /// that; an error inside the body says "Invalid input for field/attribute {field}. Value: {value}. {message}";
    /// one at the top is the message alone. Query parameters say "query parameters {first key}".
    /// </summary>
    public CloudException ToException(bool body = true)
    {
        if (Cause is not null)
        {
            return CloudException.Invalid(Cause);
        }
        if (Path.Count == 0)
        {
            return CloudException.Invalid(Message);
        }
        var value = PythonRepr.Str(Instance);
        // Nova names only the last key (ex.path.pop()): "state" for os-resetState/state, as here. Deeper down cloudd names
        // the whole path below the body's object ("security_groups/0/name", "metadata/k", where nova says "name" and "k"),
        // so the message says which field is wrong (regression Bug0012_7 holds the API to that).
        var field = Path.Count >= 3 ? string.Join("/", Path.Skip(1).Select(PythonRepr.Key)) : PythonRepr.Key(Path[^1]);
        return body
            ? CloudException.Invalid($"Invalid input for field/attribute {field}. Value: {value}. {Message}")
            : CloudException.Invalid($"Invalid input for query parameters {PythonRepr.Key(Path[0])}. Value: {value}. {Message}");
    }
}
