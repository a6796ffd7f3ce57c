namespace Cloud.Modules.Glance.V2;

/// <summary>
/// The JSON Schemas of metadefs and tasks (<c>/v2/schemas/metadefs/*</c>, <c>/v2/schemas/task(s)</c>), with glance's names
/// and member types. glanceclient builds its models from them, so they describe every member the API answers with and
/// leave additional members allowed.
/// </summary>
public static class MetadefSchemas
{
    private const string Stamps = """
        "created_at": {"type": "string", "readOnly": true, "format": "date-time"},
        "updated_at": {"type": "string", "readOnly": true, "format": "date-time"}
        """;

    private const string Association = """{"type": "object", "properties": {"name": {"type": "string", "maxLength": 80}, "prefix": {"type": "string", "maxLength": 80}, "properties_target": {"type": "string", "maxLength": 100}}}""";

    private const string Property = """{"type": "object", "required": ["title", "type"], "properties": {"name": {"type": "string", "maxLength": 255}, "title": {"type": "string"}, "description": {"type": "string"}, "type": {"type": "string", "enum": ["array", "boolean", "integer", "number", "object", "string", null]}, "enum": {"type": "array"}, "default": {}, "readonly": {"type": "boolean"}, "operators": {"type": "array", "items": {"type": "string"}}, "items": {"type": "object"}, "minimum": {"type": "number"}, "maximum": {"type": "number"}, "maxLength": {"type": "integer"}, "minLength": {"type": "integer"}, "pattern": {"type": "string", "format": "regex"}}}""";

    private const string Object = "{\"name\": \"object\", \"properties\": {\"name\": {\"type\": \"string\", \"maxLength\": 80}, \"description\": {\"type\": \"string\"}, "
        + "\"required\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}, \"properties\": {\"type\": \"object\", \"additionalProperties\": " + Property + "}, "
        + "\"schema\": {\"type\": \"string\", \"readOnly\": true}, \"self\": {\"type\": \"string\", \"readOnly\": true}, " + Stamps + "}, \"required\": [\"name\"]}";

    private const string Tag = "{\"name\": \"tag\", \"properties\": {\"name\": {\"type\": \"string\", \"maxLength\": 255}, " + Stamps + "}, \"required\": [\"name\"]}";

    private const string Namespace = "{\"name\": \"namespace\", \"properties\": {"
        + "\"namespace\": {\"type\": \"string\", \"description\": \"The unique namespace text.\", \"maxLength\": 80}, "
        + "\"display_name\": {\"type\": \"string\", \"description\": \"The user friendly name for the namespace. Used by UI if available.\", \"maxLength\": 80}, "
        + "\"description\": {\"type\": \"string\", \"description\": \"Provides a user friendly description of the namespace.\", \"maxLength\": 500}, "
        + "\"visibility\": {\"type\": \"string\", \"description\": \"Scope of namespace accessibility.\", \"enum\": [\"public\", \"private\"]}, "
        + "\"protected\": {\"type\": \"boolean\", \"description\": \"If true, namespace will not be deletable.\"}, "
        + "\"owner\": {\"type\": \"string\", \"description\": \"Owner of the namespace.\", \"maxLength\": 255}, "
        + "\"schema\": {\"type\": \"string\", \"readOnly\": true}, \"self\": {\"type\": \"string\", \"readOnly\": true}, "
        + "\"resource_type_associations\": {\"type\": \"array\", \"items\": " + Association + "}, "
        + "\"properties\": {\"type\": \"object\", \"additionalProperties\": " + Property + "}, "
        + "\"objects\": {\"type\": \"array\", \"items\": {\"type\": \"object\"}}, "
        + "\"tags\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\"}}}}, "
        + Stamps + "}, \"required\": [\"namespace\"]}";

    private const string ResourceType = "{\"name\": \"resource_type_association\", \"properties\": {\"name\": {\"type\": \"string\", \"maxLength\": 80}, "
        + "\"prefix\": {\"type\": \"string\", \"maxLength\": 80}, \"properties_target\": {\"type\": \"string\", \"maxLength\": 100}, " + Stamps + "}, \"required\": [\"name\"]}";

    private const string Task = "{\"name\": \"task\", \"properties\": {"
        + "\"id\": {\"type\": \"string\", \"description\": \"An identifier for the task\", \"pattern\": \"^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$\"}, "
        + "\"type\": {\"type\": \"string\", \"description\": \"The type of task represented by this content\", \"enum\": [\"import\", \"api_image_import\"]}, "
        + "\"status\": {\"type\": \"string\", \"description\": \"The current status of this task\", \"enum\": [\"pending\", \"processing\", \"success\", \"failure\"]}, "
        + "\"input\": {\"type\": [\"null\", \"object\"]}, \"result\": {\"type\": [\"null\", \"object\"]}, \"owner\": {\"type\": \"string\"}, "
        + "\"message\": {\"type\": \"string\"}, \"image_id\": {\"type\": \"string\"}, \"request_id\": {\"type\": \"string\"}, \"user_id\": {\"type\": \"string\"}, "
        + "\"expires_at\": {\"type\": [\"null\", \"string\"]}, \"self\": {\"type\": \"string\"}, \"schema\": {\"type\": \"string\"}, " + Stamps + "}}";

    /// <summary>The single and collection schemas by their path under <c>/v2/schemas/</c>.</summary>
    public static IReadOnlyDictionary<string, string> ByPath { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["metadefs/namespace"] = Namespace,
        ["metadefs/namespaces"] = Collection("namespaces", Namespace, paged: true),
        ["metadefs/object"] = Object,
        ["metadefs/objects"] = Collection("objects", Object, paged: true),
        ["metadefs/property"] = "{\"name\": \"property\", " + Property[1..],
        ["metadefs/properties"] = "{\"name\": \"properties\", \"properties\": {\"properties\": {\"type\": \"object\", \"additionalProperties\": " + Property + "}, \"schema\": {\"type\": \"string\"}}}",
        ["metadefs/tag"] = Tag,
        ["metadefs/tags"] = Collection("tags", Tag, paged: true),
        ["metadefs/resource_type"] = ResourceType,
        ["metadefs/resource_types"] = Collection("resource_type_associations", ResourceType, paged: false),
        ["task"] = Task,
        ["tasks"] = Collection("tasks", Task, paged: true),
    };

    private static string Collection(string name, string item, bool paged) =>
        "{\"name\": \"" + name + "\", \"properties\": {\"" + name + "\": {\"type\": \"array\", \"items\": " + item + "}, \"schema\": {\"type\": \"string\"}"
        + (paged ? ", \"first\": {\"type\": \"string\"}, \"next\": {\"type\": \"string\"}}, \"links\": [{\"rel\": \"first\", \"href\": \"{first}\"}, {\"rel\": \"next\", \"href\": \"{next}\"}, {\"rel\": \"describedby\", \"href\": \"{schema}\"}]}"
            : "}, \"links\": [{\"rel\": \"describedby\", \"href\": \"{schema}\"}]}");
}
