using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Storage;

/// <summary>User metadata of a container or account: kept as JSON (header name → value), sent back as headers.</summary>
internal static class ContainerMetadata
{
    /// <summary>The stored metadata with the request's headers applied; an empty value removes a key, as in swift.</summary>
    public static string Merge(string stored, IHeaderDictionary headers, string metaPrefix, IReadOnlyCollection<string> exactNames)
    {
        var metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(stored) ?? [];
        foreach (var (name, values) in headers)
        {
            var isMeta = name.StartsWith(metaPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > metaPrefix.Length;
            if (!isMeta && !exactNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }
            var key = TitleCase(name);
            var value = values.ToString();
            if (value.Length == 0)
            {
                metadata.Remove(key);
            }
            else
            {
                metadata[key] = value;
            }
        }
        return JsonSerializer.Serialize(metadata);
    }

    /// <summary>One stored value; null when absent.</summary>
    public static string? Get(string stored, string key) =>
        (JsonSerializer.Deserialize<Dictionary<string, string>>(stored) ?? []).GetValueOrDefault(key);

    /// <summary>The stored metadata with <paramref name="key"/> set to <paramref name="value"/>.</summary>
    public static string With(string stored, string key, string value)
    {
        var metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(stored) ?? [];
        metadata[key] = value;
        return JsonSerializer.Serialize(metadata);
    }

    public static void WriteHeaders(string stored, IHeaderDictionary headers)
    {
        foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(stored) ?? [])
        {
            headers[name] = value;
        }
    }

    // Swift title-cases stored header names, so x-container-meta-color and X-Container-Meta-Color are one key.
    private static string TitleCase(string name) => string.Join('-', name.Split('-').Select(part =>
        part.Length == 0 ? part : char.ToUpper(part[0], CultureInfo.InvariantCulture) + part[1..].ToLowerInvariant()));
}
