using Cloud.Modules.Kernel;

namespace Cloud.Modules.Api.OpenStack.Validation;

/// <summary>One validation error: where (the path of keys and indexes), the value there, and jsonschema's message.</summary>
public sealed record SchemaError(IReadOnlyList<object> Path, System.Text.Json.JsonElement Instance, string Message, string? Cause = null)
{
    /// <summary>
    /// Nova's 400 text (nova/api/validation/validators.py): a format error with its own cause (an invalid name) says
    /// that; an error inside the body says "Invalid input for field/attribute {last key}. Value: {value}. {message}";
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
        // nova names only the last key (ex.path.pop()): "field/attribute k" for metadata/k, "state" for os-resetState/state.
        var field = PythonRepr.Key(Path[^1]);
        return body
            ? CloudException.Invalid($"Invalid input for field/attribute {field}. Value: {value}. {Message}")
            : CloudException.Invalid($"Invalid input for query parameters {PythonRepr.Key(Path[0])}. Value: {value}. {Message}");
    }
}
