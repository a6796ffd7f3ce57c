using System.Text.Json;

namespace Cloud.Modules.Swift.Proxy.Middleware.Versioning;

/// <summary>
/// A <c>?versions</c> listing: the container's current objects (each its latest version) merged with the versions
/// container's older versions and delete markers, by name, each name's versions newest first, with
/// <c>version_id</c> and <c>is_latest</c> as swift's object_versioning lists them.
/// </summary>
public static class VersionListing
{
    private sealed record Entry(string Name, long Bytes, string Hash, string ContentType, string LastModified, bool IsLatest, string VersionId);

    /// <summary>
    /// The JSON listing of <paramref name="current"/> and <paramref name="versions"/> (JSON container listings; null or
    /// empty: none), from after <paramref name="marker"/> (a name) and <paramref name="versionMarker"/> (one of its
    /// version ids; empty: past all of them), as swiftclient pages through <c>?versions</c>.
    /// </summary>
    public static byte[] Merge(byte[]? current, byte[]? versions, bool reverse, int limit, string marker = "", string versionMarker = "")
    {
        var entries = new List<Entry>();
        var latest = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in Items(current))
        {
            var name = item.GetProperty("name").GetString()!;
            var modified = Text(item, "last_modified");
            latest.Add(name);
            entries.Add(Of(item, name, true, VersionNames.FromLastModified(modified) ?? "null"));
        }
        foreach (var item in Items(versions))
        {
            if (VersionNames.SplitHidden(item.GetProperty("name").GetString()!) is not { } split)
            {
                continue;
            }
            // A delete marker is the latest version of a name that has no current object.
            var isLatest = Text(item, "content_type") == VersionNames.DeleteMarkerContentType && latest.Add(split.Name);
            latest.Add(split.Name);
            entries.Add(Of(item, split.Name, isLatest, split.VersionId));
        }
        // Stable: a name's current object first, then its versions, newest first as the versions container lists them.
        var ordered = reverse
            ? entries.OrderByDescending(e => e.Name, StringComparer.Ordinal)
            : entries.OrderBy(e => e.Name, StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var e in After(ordered, reverse, marker, versionMarker).Take(limit))
            {
                json.WriteStartObject();
                json.WriteNumber("bytes", e.Bytes);
                json.WriteString("hash", e.Hash);
                json.WriteString("name", e.Name);
                json.WriteString("content_type", e.ContentType);
                json.WriteString("last_modified", e.LastModified);
                json.WriteBoolean("is_latest", e.IsLatest);
                json.WriteString("version_id", e.VersionId);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return buffer.ToArray();
    }

    private static IEnumerable<Entry> After(IEnumerable<Entry> ordered, bool reverse, string marker, string versionMarker)
    {
        if (marker.Length == 0)
        {
            return ordered;
        }
        var passed = versionMarker.Length == 0;
        return ordered.Where(e =>
        {
            var order = string.CompareOrdinal(e.Name, marker) * (reverse ? -1 : 1);
            if (order != 0)
            {
                return order > 0;
            }
            if (passed)
            {
                // Past the version marker (or no version marker): the marker name's remaining versions, if any.
                return versionMarker.Length > 0;
            }
            passed = e.VersionId == versionMarker;
            return false;
        });
    }

    private static Entry Of(JsonElement item, string name, bool isLatest, string versionId) =>
        new(name, item.TryGetProperty("bytes", out var bytes) && bytes.TryGetInt64(out var size) ? size : 0, Text(item, "hash"),
            Text(item, "content_type"), Text(item, "last_modified"), isLatest, versionId);

    private static string Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static IEnumerable<JsonElement> Items(byte[]? listing)
    {
        if (listing is not { Length: > 0 })
        {
            return [];
        }
        try
        {
            using var json = JsonDocument.Parse(listing);
            return json.RootElement.ValueKind == JsonValueKind.Array
                ? json.RootElement.EnumerateArray().Where(i => i.TryGetProperty("name", out _)).Select(i => i.Clone()).ToList()
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
