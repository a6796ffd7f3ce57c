using System.Text.Json;

namespace Cloud.Host.Commands;

/// <summary>How <c>cloudd glance</c> prints an image: the seed's <c>glance show</c> lines (<c>Key: value</c>, then properties).</summary>
public static class GlanceOutput
{
    private const string Prefix = "x-image-meta-";
    private const string PropertyPrefix = "x-image-meta-property-";

    private static readonly (string Label, string Key)[] Lines =
    [
        ("Id", "id"), ("Public", "is_public"), ("Protected", "protected"), ("Name", "name"), ("Status", "status"), ("Size", "size"),
        ("Disk format", "disk_format"), ("Container format", "container_format"), ("Minimum Ram Required (MB)", "min_ram"),
        ("Minimum Disk Required (GB)", "min_disk"), ("Owner", "owner"),
    ];

    /// <summary>Prints an image from its v1 metadata headers (lower-case names).</summary>
    public static void Show(string imageUrl, IReadOnlyList<KeyValuePair<string, string>> meta)
    {
        var values = meta.GroupBy(m => m.Key).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        string Value(string key) => values.TryGetValue(Prefix + key, out var value) ? value : "None";
        Console.WriteLine($"URI: {imageUrl}/v1/images/{Value("id")}");
        foreach (var (label, key) in Lines)
        {
            var value = Value(key);
            Console.WriteLine($"{label}: {(key is "is_public" or "protected" ? (value == "True" ? "Yes" : "No") : value)}");
        }
        foreach (var (key, value) in values.Where(v => v.Key.StartsWith(PropertyPrefix, StringComparison.Ordinal)).OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"Property '{key[PropertyPrefix.Length..]}': {value}");
        }
    }

    /// <summary>An image of the v1 JSON as the metadata headers HEAD would give.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Flatten(JsonElement image)
    {
        var meta = new List<KeyValuePair<string, string>>();
        foreach (var member in image.EnumerateObject())
        {
            if (member.Name == "properties")
            {
                meta.AddRange(member.Value.EnumerateObject().Select(p => KeyValuePair.Create(PropertyPrefix + p.Name, p.Value.GetString() ?? "")));
            }
            else
            {
                var value = member.Value.ValueKind switch
                {
                    JsonValueKind.True => "True",
                    JsonValueKind.False => "False",
                    _ => GlanceCommand.Text(image, member.Name),
                };
                meta.Add(KeyValuePair.Create(Prefix + member.Name, value));
            }
        }
        return meta;
    }
}
