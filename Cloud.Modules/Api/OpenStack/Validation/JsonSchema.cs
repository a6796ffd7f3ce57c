namespace Cloud.Modules.Api.OpenStack.Validation;

/// <summary>
/// The part of JSON Schema draft 4 nova's request schemas use (nova/api/openstack/compute/schemas), written as C#
/// values that mirror nova's dictionaries so each can be checked against its source. <see cref="SchemaValidator"/>
/// evaluates it with python-jsonschema's keyword order and messages.
/// </summary>
public sealed record JsonSchema
{
    /// <summary>JSON types allowed: string, integer, number, boolean, object, array, null; null means any.</summary>
    public IReadOnlyList<string>? Types { get; init; }

    /// <summary>Allowed values: strings and booleans (nova's boolean enum holds both).</summary>
    public IReadOnlyList<object>? Enum { get; init; }

    public int? MinLength { get; init; }

    public int? MaxLength { get; init; }

    /// <summary>A regular expression searched (not anchored unless it says so), as python's re.search.</summary>
    public string? Pattern { get; init; }

    /// <summary>A format checked by <see cref="SchemaFormats"/>: uuid, ipv4, ipv6, base64, name, date-time, ...</summary>
    public string? Format { get; init; }

    /// <summary>Nova's minimum: strings holding numbers are compared as numbers.</summary>
    public long? Minimum { get; init; }

    public long? Maximum { get; init; }

    /// <summary>Properties in nova's order (the first failing one is reported).</summary>
    public IReadOnlyList<KeyValuePair<string, JsonSchema>>? Properties { get; init; }

    public IReadOnlyList<KeyValuePair<string, JsonSchema>>? PatternProperties { get; init; }

    public IReadOnlyList<string>? Required { get; init; }

    public int? MinProperties { get; init; }

    public int? MaxProperties { get; init; }

    /// <summary>False refuses properties neither listed nor matching a pattern.</summary>
    public bool AdditionalProperties { get; init; } = true;

    public JsonSchema? Items { get; init; }

    public int? MinItems { get; init; }

    public int? MaxItems { get; init; }

    public bool UniqueItems { get; init; }

    public IReadOnlyList<JsonSchema>? OneOf { get; init; }

    /// <summary>A schema that accepts anything.</summary>
    public static JsonSchema Any { get; } = new();

    /// <summary>This schema with one more property (nova's <c>copy.deepcopy</c> and <c>['properties'][name] = ...</c>).</summary>
    public JsonSchema WithProperty(string name, JsonSchema schema)
    {
        var properties = (Properties ?? []).Where(p => p.Key != name).ToList();
        var index = (Properties ?? []).ToList().FindIndex(p => p.Key == name);
        properties.Insert(index < 0 ? properties.Count : index, new(name, schema));
        return this with { Properties = properties };
    }

    /// <summary>This schema without a property (nova's <c>.pop(name)</c>).</summary>
    public JsonSchema WithoutProperty(string name) => this with { Properties = [.. (Properties ?? []).Where(p => p.Key != name)] };

    /// <summary>The schema of property <paramref name="name"/>.</summary>
    public JsonSchema Property(string name) => (Properties ?? []).First(p => p.Key == name).Value;

    /// <summary>Validates and throws nova's 400 (<see cref="SchemaError.ToException"/>) on the first error.</summary>
    public void Validate(System.Text.Json.JsonElement instance, bool body = true)
    {
        if (FirstError(instance) is { } error)
        {
            throw error.ToException(body);
        }
    }

    /// <summary>
    /// Validates a value found at <paramref name="path"/> inside a body (an action's argument checked by hand up to there),
    /// so its 400 names the field as nova's would.
    /// </summary>
    public void ValidateAt(System.Text.Json.JsonElement value, params object[] path)
    {
        if (SchemaValidator.FirstError(this, value, path) is { } error)
        {
            throw error.ToException();
        }
    }

    /// <summary>The first error python-jsonschema would raise, or null.</summary>
    public SchemaError? FirstError(System.Text.Json.JsonElement instance) => SchemaValidator.FirstError(this, instance, []);
}
