using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cloud.Modules.Identity.ApplicationCredentials;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Api.Keystone;

/// <summary>
/// Checks an <c>application_credential</c> create body as Keystone's schema does (name, description, secret,
/// expires_at, roles, unrestricted, access_rules) and answers what is wrong with a 400 in Keystone's words.
/// </summary>
public static partial class ApplicationCredentialRequestParser
{
    public static ApplicationCredentialRequest Parse(JsonElement body)
    {
        var credential = KeystoneJson.Object(body, "application_credential") is { ValueKind: JsonValueKind.Object } c ? c : EmptyObject;
        var name = OptionalString(credential, "name") ?? throw Invalid("'name' is a required property");
        if (name.Length is 0 or > 255 || !NonBlank().IsMatch(name))
        {
            throw Invalid($"Invalid input for field 'name': '{name}' is not a valid name (1 to 255 characters, not all blank)");
        }
        var roles = Array(credential, "roles")?.Select(Role).ToList();
        var rules = Array(credential, "access_rules")?.Select(Rule).ToList();
        return new ApplicationCredentialRequest(
            name,
            OptionalString(credential, "description"),
            OptionalString(credential, "secret"),
            Expiry(OptionalString(credential, "expires_at")),
            roles,
            Boolean(credential, "unrestricted"),
            rules is { Count: > 0 } ? rules : null);
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    private static RoleReference Role(JsonElement role, int index)
    {
        if (role.ValueKind != JsonValueKind.Object || role.EnumerateObject().Count() != 1)
        {
            throw Invalid($"Invalid input for field 'roles/{index}': a role is an object with exactly one of 'id' or 'name'");
        }
        var property = role.EnumerateObject().Single();
        if (property.Name is not ("id" or "name") || property.Value.ValueKind != JsonValueKind.String || property.Value.GetString()!.Length is 0 or > 255)
        {
            throw Invalid($"Invalid input for field 'roles/{index}': a role is an object with exactly one of 'id' or 'name' (a non-empty string)");
        }
        var value = property.Value.GetString()!;
        return property.Name == "id" ? new RoleReference(value, null) : new RoleReference(null, value);
    }

    private static AccessRuleRequest Rule(JsonElement rule, int index)
    {
        if (rule.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"Invalid input for field 'access_rules/{index}': {rule.GetRawText()} is not of type 'object'");
        }
        foreach (var property in rule.EnumerateObject())
        {
            if (property.Name is not ("id" or "service" or "path" or "method"))
            {
                throw Invalid($"Invalid input for field 'access_rules/{index}': Additional properties are not allowed ('{property.Name}' was unexpected)");
            }
        }
        var id = Matching(rule, "id", index, IdString(), 64);
        var service = Matching(rule, "service", index, IdString(), 64);
        var path = Matching(rule, "path", index, RulePath(), 225);
        var method = Matching(rule, "method", index, RuleMethod(), 16);
        if (id is null && (service is null || path is null || method is null))
        {
            throw Invalid($"Invalid input for field 'access_rules/{index}': a new access rule needs 'service', 'path' and 'method'");
        }
        return new AccessRuleRequest(id, service, path, method);
    }

    private static string? Matching(JsonElement rule, string field, int index, Regex pattern, int maxLength)
    {
        if (!rule.TryGetProperty(field, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid($"Invalid input for field 'access_rules/{index}/{field}': {value.GetRawText()} is not of type 'string'");
        }
        var text = value.GetString()!;
        return text.Length <= maxLength && pattern.IsMatch(text)
            ? text
            : throw Invalid($"Invalid input for field 'access_rules/{index}/{field}': '{text}' does not match '{pattern}'");
    }

    /// <summary>Keystone's <c>parse_expiration_date</c>: ISO 8601, UTC when no zone is given.</summary>
    private static DateTime? Expiry(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        return DateTimeOffset.TryParse(text.EndsWith('Z') || HasOffset().IsMatch(text) ? text : text + "Z", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var at)
            && text.Contains('T', StringComparison.Ordinal)
            ? at.UtcDateTime
            : throw Invalid("Timestamp not in expected format. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.");
    }

    private static IEnumerable<JsonElement>? Array(JsonElement credential, string field) =>
        credential.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : throw Invalid($"Invalid input for field '{field}': {value.GetRawText()} is not of type 'array'")
            : null;

    private static string? OptionalString(JsonElement credential, string field) =>
        !credential.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw Invalid($"Invalid input for field '{field}': {value.GetRawText()} is not of type 'string'");

    private static bool Boolean(JsonElement credential, string field) =>
        credential.TryGetProperty(field, out var value) && value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid($"Invalid input for field '{field}': {value.GetRawText()} is not of type 'boolean'"),
        };

    private static CloudException Invalid(string message) => CloudException.Invalid(message);

    [GeneratedRegex(@"\S")]
    private static partial Regex NonBlank();

    [GeneratedRegex("^[a-zA-Z0-9-]+$")]
    private static partial Regex IdString();

    [GeneratedRegex(@"^/.*$", RegexOptions.Singleline)]
    private static partial Regex RulePath();

    [GeneratedRegex("^(POST|GET|HEAD|PATCH|PUT|DELETE)$")]
    private static partial Regex RuleMethod();

    [GeneratedRegex(@"[+-]\d{2}:?\d{2}$")]
    private static partial Regex HasOffset();
}
