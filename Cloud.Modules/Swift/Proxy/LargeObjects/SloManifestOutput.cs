using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloud.Modules.Swift.Proxy.LargeObjects;

/// <summary>
/// <c>?multipart-manifest=get&amp;format=raw</c>: a stored manifest turned back into what a client PUTs (swift's
/// <c>convert_segment_listing</c>): per segment <c>path</c>, <c>etag</c>, <c>size_bytes</c> and its <c>range</c> if
/// any, so that the answer can be uploaded again as a manifest.
/// </summary>
public static class SloManifestOutput
{
    /// <summary>The raw manifest, or null when <paramref name="stored"/> is not a stored manifest's list.</summary>
    public static byte[]? Raw(byte[] stored)
    {
        try
        {
            if (JsonNode.Parse(stored) is not JsonArray rows)
            {
                return null;
            }
            var raw = new JsonArray();
            foreach (var row in rows.OfType<JsonObject>())
            {
                var item = new JsonObject
                {
                    ["etag"] = row["hash"]?.DeepClone(), ["path"] = row["name"]?.DeepClone(), ["size_bytes"] = row["bytes"]?.DeepClone(),
                };
                if (row["range"] is { } range)
                {
                    item["range"] = range.DeepClone();
                }
                raw.Add(item);
            }
            return JsonSerializer.SerializeToUtf8Bytes(raw);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
