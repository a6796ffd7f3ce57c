using System.Text.Json.Nodes;

namespace Cloud.Modules.Glance.Metadefs;

/// <summary>
/// Glance's shipped metadata definitions (the namespaces <c>glance-manage db_load_metadefs</c> loads), read once from the
/// embedded copies of <c>/etc/glance/metadefs/*.json</c>: namespaces with their properties, objects, tags and resource
/// type associations. They are public and protected, owned by <c>admin</c>, and never change while cloudd runs.
/// </summary>
public sealed class MetadefCatalog
{
    private const string Owner = "admin";

    private readonly Lazy<IReadOnlyList<JsonObject>> _namespaces = new(Load);

    /// <summary>When the catalog was loaded: the created_at and updated_at of everything in it.</summary>
    public DateTime LoadedAt { get; } = DateTime.UtcNow;

    /// <summary>The namespaces, sorted by name; each as its shipped JSON plus owner.</summary>
    public IReadOnlyList<JsonObject> Namespaces => _namespaces.Value;

    /// <summary>The namespace named <paramref name="name"/>, or null.</summary>
    public JsonObject? Find(string name) => Namespaces.FirstOrDefault(n => (string?)n["namespace"] == name);

    /// <summary>Every resource type some namespace is associated with, sorted.</summary>
    public IReadOnlyList<string> ResourceTypes() => Namespaces
        .SelectMany(n => Associations(n).Select(a => (string?)a["name"]))
        .OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public static IEnumerable<JsonObject> Associations(JsonObject ns) =>
        (ns["resource_type_associations"] as JsonArray ?? []).OfType<JsonObject>();

    private static IReadOnlyList<JsonObject> Load()
    {
        var assembly = typeof(MetadefCatalog).Assembly;
        var list = new List<JsonObject>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.Contains(".Metadefs.Shipped.", StringComparison.Ordinal) && r.EndsWith(".json", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            var ns = JsonNode.Parse(stream)!.AsObject();
            ns["owner"] = Owner;
            list.Add(ns);
        }
        return list.OrderBy(n => (string?)n["namespace"], StringComparer.Ordinal).ToList();
    }
}
