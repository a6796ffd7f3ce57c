using System.Text.Json;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// An account's <c>X-Account-Access-Control</c> (Swift's ACL v2, as tempauth reads it): JSON
/// <c>{"admin": [...], "read-write": [...], "read-only": [...]}</c> of tempauth groups (<c>account:user</c>,
/// <c>account</c>). read-only: GET/HEAD of the account and everything in it; read-write: also writes of containers and
/// objects; admin: everything, as the account's owner.
/// </summary>
public sealed record AccountAcl(IReadOnlySet<string> Admin, IReadOnlySet<string> ReadWrite, IReadOnlySet<string> ReadOnly)
{
    /// <summary>The header a client sets and an owner reads the ACL with.</summary>
    public const string Header = "X-Account-Access-Control";

    // tempauth's keys, in the order it checks their values.
    private static readonly string[] Keys = ["admin", "read-write", "read-only"];

    /// <summary>
    /// tempauth's check of a value a client sends: null and the value as Swift stores and shows it (sorted keys, no
    /// spaces; empty for <c>{}</c> or an empty value, which clear the ACL), or tempauth's message for what is wrong.
    /// </summary>
    public static (string? Normalised, string? Error) Check(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Length == 0)
        {
            return ("", null);
        }
        if (ParseObject(input) is not { } parsed)
        {
            return (null, $"Syntax error in input ({PythonText.Repr(input)})");
        }
        if (parsed.Keys.FirstOrDefault(k => !Keys.Contains(k)) is { } unknown)
        {
            return (null, $"Key {PythonText.Json(unknown)} not recognized");
        }
        foreach (var key in Keys.Where(parsed.ContainsKey))
        {
            if (parsed[key].ValueKind != JsonValueKind.Array)
            {
                return (null, $"Value for key {PythonText.Json(key)} must be a list");
            }
            if (parsed[key].EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                return (null, $"Elements of {PythonText.Json(key)} list must be strings");
            }
        }
        var entries = parsed.Keys.Order(StringComparer.Ordinal)
            .Select(k => $"{PythonText.Json(k)}:[{string.Join(',', Grantees(parsed[k]).Select(PythonText.Json))}]");
        return (parsed.Count == 0 ? "" : "{" + string.Join(',', entries) + "}", null);
    }

    /// <summary>The ACL an account stores, or null when it has none (or one tempauth could not read).</summary>
    public static AccountAcl? Parse(string? stored)
    {
        if (string.IsNullOrEmpty(stored) || Check(stored) is not ({ Length: > 0 }, null) || ParseObject(stored) is not { } parsed)
        {
            return null;
        }
        IReadOnlySet<string> Of(string key) =>
            parsed.TryGetValue(key, out var list) ? Grantees(list).ToHashSet(StringComparer.Ordinal) : new HashSet<string>();
        return new AccountAcl(Of("admin"), Of("read-write"), Of("read-only"));
    }

    private static IEnumerable<string> Grantees(JsonElement list) => list.EnumerateArray().Select(e => e.GetString()!);

    /// <summary>A JSON object's members as Python's <c>json.loads</c> gives them (a repeated key keeps its last value), or null.</summary>
    private static Dictionary<string, JsonElement>? ParseObject(string input)
    {
        try
        {
            using var document = JsonDocument.Parse(input);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var member in document.RootElement.EnumerateObject())
            {
                members[member.Name] = member.Value.Clone();
            }
            return members;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
