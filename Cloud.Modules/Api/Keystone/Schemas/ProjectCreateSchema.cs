using System.Text.Json;

namespace Cloud.Modules.Api.Keystone.Schemas;

/// <summary>Keystone's <c>project_create</c> schema (keystone/resource/schema.py), which its 400s print.</summary>
public static class ProjectCreateSchema
{
    public static JsonElement Schema { get; } = KeystoneSchemaError.Parse("""
        {"type": "object",
         "properties": {
           "description": {"type": ["string", "null"]},
           "domain_id": {"type": ["string", "null"], "minLength": 1, "maxLength": 64, "pattern": "^[a-zA-Z0-9-]+$"},
           "enabled": {"type": "boolean", "enum": [true, false, null]},
           "is_domain": {"type": "boolean", "enum": [true, false, null]},
           "name": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "[\\S]+"},
           "options": {"type": "object", "properties": {"immutable": {"type": ["boolean", "null"], "enum": [true, false, null]}},
             "additionalProperties": false},
           "parent_id": {"type": ["string", "null"], "minLength": 1, "maxLength": 64, "pattern": "^[a-zA-Z0-9-]+$"},
           "tags": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[^,/]*$"},
             "required": [], "maxItems": 80, "uniqueItems": true}},
         "required": ["name"],
         "additionalProperties": true}
        """);
}
