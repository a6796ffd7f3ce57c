using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cloud.Modules.Swift.Storage.Updater;

/// <summary>
/// One object row change for a container's databases: what the object server sends after a PUT or DELETE and, when a
/// container server cannot take it, what it keeps on disk as an async pending (swift pickles the same dict) for the
/// object updater to deliver later.
/// </summary>
/// <param name="Op">PUT or DELETE.</param>
/// <param name="Account">Account name.</param>
/// <param name="Container">Container name.</param>
/// <param name="Object">Object name.</param>
/// <param name="Headers">X-Timestamp, and for a PUT X-Size, X-Content-Type and X-Etag.</param>
public sealed record ContainerUpdate(
    [property: JsonPropertyName("op")] string Op,
    [property: JsonPropertyName("account")] string Account,
    [property: JsonPropertyName("container")] string Container,
    [property: JsonPropertyName("obj")] string Object,
    [property: JsonPropertyName("headers")] IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The change's X-Timestamp.</summary>
    public string Timestamp => Headers.TryGetValue("X-Timestamp", out var ts) ? ts : "";

    /// <summary>The JSON of an async pending file.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this);

    /// <summary>Reads an async pending file; null when it is not one.</summary>
    public static ContainerUpdate? FromJson(byte[] json)
    {
        try
        {
            var update = JsonSerializer.Deserialize<ContainerUpdate>(json);
            return update is { Op: "PUT" or "DELETE", Account.Length: > 0, Container.Length: > 0, Object.Length: > 0, Headers: not null } ? update : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Copies the update's headers onto a request to a container server.</summary>
    public void Apply(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }
}
