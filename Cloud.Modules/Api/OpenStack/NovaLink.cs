using System.Text.Json.Serialization;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>One of nova's <c>links</c> entries, <c>{"rel": ..., "href": ...}</c>, which <see cref="NovaJsonTree"/> writes without the serialiser.</summary>
public sealed record NovaLink([property: JsonPropertyName("rel")] string Rel, [property: JsonPropertyName("href")] string Href);
