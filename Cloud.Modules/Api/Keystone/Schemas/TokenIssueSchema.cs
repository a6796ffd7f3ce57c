using System.Text.Json;

namespace Cloud.Modules.Api.Keystone.Schemas;

/// <summary>Keystone's <c>token_issue</c> schema (keystone/auth/schema.py), which its 400s print.</summary>
public static class TokenIssueSchema
{
    /// <summary>The schema's required properties: <c>identity</c> in <c>auth</c>, <c>methods</c> in <c>identity</c>.</summary>
    public static void RequireIdentity(JsonElement auth)
    {
        if (auth.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        if (!auth.TryGetProperty("identity", out var identity))
        {
            throw KeystoneSchemaError.Required(Schema, "identity", auth);
        }
        if (identity.ValueKind == JsonValueKind.Object && !identity.TryGetProperty("methods", out _))
        {
            throw KeystoneSchemaError.Required(Schema, "methods", auth, "identity");
        }
    }

    public static JsonElement Schema { get; } = KeystoneSchemaError.Parse("""
        {"type": "object",
         "properties": {
           "identity": {"type": "object",
             "properties": {
               "methods": {"type": "array", "items": {"type": "string"}},
               "password": {"type": "object", "properties": {"user": {"type": "object", "properties": {
                 "id": {"type": "string"}, "name": {"type": "string"}, "password": {"type": "string"},
                 "domain": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}}}}},
               "token": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}},
             "required": ["methods"]},
           "scope": {"type": ["object", "string"],
             "properties": {
               "project": {"type": "object", "properties": {"name": {"type": "string"}, "id": {"type": "string"},
                 "domain": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}}},
               "domain": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
               "OS-TRUST:trust": {"type": "object", "properties": {"id": {"type": "string"}}},
               "system": {"type": "object", "properties": {"all": {"type": "boolean", "enum": [true, false, null]}}}}}},
         "required": ["identity"]}
        """);
}
