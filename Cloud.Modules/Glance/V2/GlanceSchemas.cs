namespace Cloud.Modules.Glance.V2;

/// <summary>
/// The JSON Schemas glanceclient and openstacksdk download (<c>/v2/schemas/*</c>): the documents Glance 25 serves,
/// kept as embedded files (<c>V2/Schemas/*.json</c>, <c>metadefs_namespace.json</c> for <c>metadefs/namespace</c>).
/// Clients validate and build their models from them (warlock rejects members a schema with
/// <c>additionalProperties: false</c> does not name), so they are glance's to the letter; their enums list the
/// formats and statuses the registry accepts.
/// </summary>
public static class GlanceSchemas
{
    private const string Folder = ".Glance.V2.Schemas.";

    /// <summary>How a file names the <c>metadefs/</c> folder (the rest keeps its underscores: <c>resource_types</c>).</summary>
    private const string Metadefs = "metadefs_";

    /// <summary>Each schema by its path under <c>/v2/schemas/</c>.</summary>
    public static IReadOnlyDictionary<string, string> ByPath { get; } = Load();

    private static Dictionary<string, string> Load()
    {
        var assembly = typeof(GlanceSchemas).Assembly;
        var schemas = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.Contains(Folder, StringComparison.Ordinal)))
        {
            var file = resource[(resource.IndexOf(Folder, StringComparison.Ordinal) + Folder.Length)..^".json".Length];
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            schemas[file.StartsWith(Metadefs, StringComparison.Ordinal) ? "metadefs/" + file[Metadefs.Length..] : file] = reader.ReadToEnd();
        }
        return schemas;
    }
}
