using System.Text.Json;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Glance.Import;

/// <summary>The body of <c>POST /v2/images/{id}/import</c>, checked with glance's messages.</summary>
public sealed record ImportRequest(string Method, IReadOnlyList<string>? Stores, bool AllStores, string Json)
{
    public const string GlanceDirect = "glance-direct";
    public const string CopyImage = "copy-image";

    public static ImportRequest Parse(JsonElement body, IReadOnlyCollection<string> enabledMethods)
    {
        ArgumentNullException.ThrowIfNull(enabledMethods);
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.Object)
        {
            throw CloudException.Invalid("Import request requires a 'method' field.");
        }
        if (!method.TryGetProperty("name", out var name))
        {
            throw CloudException.Invalid("Import request requires a 'name' field.");
        }
        var methodName = name.ValueKind == JsonValueKind.String ? name.GetString()! : name.GetRawText();
        if (!enabledMethods.Contains(methodName))
        {
            throw CloudException.Invalid($"Unknown import method name '{methodName}'.");
        }
        if (body.TryGetProperty("all_stores_must_succeed", out var must) && must.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw CloudException.Invalid("'all_stores_must_succeed' must be boolean value only");
        }
        var allStores = false;
        if (body.TryGetProperty("all_stores", out var all))
        {
            allStores = all.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw CloudException.Invalid("'all_stores' must be boolean value only"),
            };
        }
        List<string>? stores = null;
        if (body.TryGetProperty("stores", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            stores = list.ValueKind == JsonValueKind.Array && list.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String)
                ? list.EnumerateArray().Select(s => s.GetString()!).ToList()
                : throw CloudException.Invalid("'stores' must be a list of store identifiers.");
        }
        return new ImportRequest(methodName, stores, allStores, body.GetRawText());
    }
}
