using Cloud.Modules.Api.OpenStack.Validation;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>nova's reusable schema pieces (nova/api/validation/parameter_types.py) that cloudd's schemas use.</summary>
public static class NovaParameterTypes
{
    public static JsonSchema Name { get; } = new() { Types = ["string"], MinLength = 1, MaxLength = 255, Format = "name" };

    public static JsonSchema NameWithLeadingTrailingSpaces { get; } = Name with { Format = "name_with_leading_trailing_spaces" };

    public static JsonSchema Description { get; } = new() { Types = ["string", "null"], MinLength = 0, MaxLength = 255, Format = "printable" };

    public static JsonSchema Uuid { get; } = new() { Types = ["string"], Format = "uuid" };

    public static JsonSchema ImageIdOrEmptyString { get; } = new() { OneOf = [Uuid, new() { Types = ["string"], MaxLength = 0 }] };

    public static JsonSchema FlavorRef { get; } = new() { Types = ["string", "integer"], MinLength = 1 };

    public static JsonSchema AdminPassword { get; } = new() { Types = ["string"] };

    public static JsonSchema Metadata { get; } = new()
    {
        Types = ["object"],
        PatternProperties = [new("^[a-zA-Z0-9-_:. ]{1,255}$", new() { Types = ["string"], MaxLength = 255 })],
        AdditionalProperties = false,
    };

    public static JsonSchema IpAddress { get; } = new() { Types = ["string"], OneOf = [new() { Format = "ipv4" }, new() { Format = "ipv6" }] };

    public static JsonSchema AccessIpV4 { get; } = new() { Types = ["string"], Format = "ipv4" };

    public static JsonSchema AccessIpV6 { get; } = new() { Types = ["string"], Format = "ipv6" };

    public static JsonSchema DiskConfig { get; } = new() { Types = ["string"], Enum = ["AUTO", "MANUAL"] };

    public static JsonSchema Boolean { get; } = new()
    {
        Types = ["boolean", "string"],
        Enum = [true, "True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes", "yes", false, "False", "FALSE", "false", "0", "OFF", "Off", "off", "NO", "No", "no"],
    };

    public static JsonSchema PositiveInteger { get; } = new() { Types = ["integer", "string"], Pattern = "^[0-9]*$", Minimum = 1, MinLength = 1 };

    public static JsonSchema Tag { get; } = new() { Types = ["string"], MinLength = 1, MaxLength = Compute.ServerTagsApi.MaxTagLength, Pattern = "^[^,/]*$" };

    public static JsonSchema Hostname { get; } = new() { Types = ["string"], MinLength = 2, MaxLength = 63, Pattern = "^[a-zA-Z0-9]+[a-zA-Z0-9-]*[a-zA-Z0-9]+$" };

    public static JsonSchema Fqdn { get; } = new() { Types = ["string"], MinLength = 1, MaxLength = 255, Pattern = "^[a-zA-Z0-9-._]*$" };

    public static JsonSchema TrustedCertificates { get; } = new()
    {
        Types = ["array", "null"],
        MinItems = 1,
        MaxItems = 50,
        UniqueItems = true,
        Items = new() { Types = ["string"], MinLength = 1 },
    };

    public static JsonSchema Personality { get; } = new()
    {
        Types = ["array"],
        Items = new()
        {
            Types = ["object"],
            Properties = [new("path", new() { Types = ["string"] }), new("contents", new() { Types = ["string"], Format = "base64" })],
            AdditionalProperties = false,
        },
    };
}
