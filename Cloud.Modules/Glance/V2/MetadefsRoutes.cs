using System.Text.Json.Nodes;
using Cloud.Modules.Glance.Metadefs;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Glance.V2;

/// <summary>
/// <c>/v2/metadefs/*</c> over glance's shipped catalog (<see cref="MetadefCatalog"/>): namespaces (list with
/// <c>resource_types</c>, <c>visibility</c>, <c>limit</c>/<c>marker</c>; show with properties, objects and tags), their
/// objects, properties, tags and resource type associations, and the resource types. Changing the catalog is glance's
/// metadef_admin privilege: other callers get glance's 403; admins are told this cloud keeps the shipped catalog as is.
/// </summary>
public sealed class MetadefsRoutes(GlanceCaller caller, MetadefCatalog catalog)
{
    private const string Root = "/v2/metadefs/namespaces";

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Root, ListAsync);
        app.MapGet(Root + "/{ns}", ShowAsync);
        app.MapGet(Root + "/{ns}/objects", ns => ChildrenAsync(ns, n => new JsonObject
        {
            ["objects"] = new JsonArray([.. Objects(n).Select(o => Object(n, o))]),
            ["schema"] = "v2/schemas/metadefs/objects",
        }));
        app.MapGet(Root + "/{ns}/objects/{name}", context => ChildAsync(context, (n, name) =>
            Objects(n).FirstOrDefault(o => (string?)o["name"] == name) is { } o ? Object(n, o)
            : throw CloudException.NotFound($"The metadata definition object with name={name} was not found in namespace={n["namespace"]}.")));
        app.MapGet(Root + "/{ns}/properties", ns => ChildrenAsync(ns, n => new JsonObject { ["properties"] = n["properties"]?.DeepClone() ?? new JsonObject() }));
        app.MapGet(Root + "/{ns}/properties/{name}", context => ChildAsync(context, (n, name) => Property(n, name)));
        app.MapGet(Root + "/{ns}/tags", ns => ChildrenAsync(ns, n => new JsonObject { ["tags"] = new JsonArray([.. Tags(n).Select(t => (JsonNode)Stamped(new JsonObject { ["name"] = t }))]) }));
        app.MapGet(Root + "/{ns}/tags/{name}", context => ChildAsync(context, (n, name) => Tags(n).Contains(name) ? Stamped(new JsonObject { ["name"] = name })
            : throw CloudException.NotFound($"The metadata definition tag with name={name} was not found in namespace={n["namespace"]}.")));
        app.MapGet(Root + "/{ns}/resource_types", ns => ChildrenAsync(ns, n => new JsonObject { ["resource_type_associations"] = Associations(n) }));
        app.MapGet("/v2/metadefs/resource_types", ResourceTypesAsync);
        app.MapMethods("/v2/metadefs/{**path}", ["POST", "PUT", "DELETE"], RefuseChangeAsync);
    }

    private async Task ListAsync(HttpContext context)
    {
        await caller.ContextAsync(context).ConfigureAwait(false);
        var query = context.Request.Query;
        IEnumerable<JsonObject> namespaces = catalog.Namespaces;
        if (query["resource_types"].ToString() is { Length: > 0 } types)
        {
            var wanted = types.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            namespaces = namespaces.Where(n => MetadefCatalog.Associations(n).Any(a => wanted.Contains((string?)a["name"] ?? "")));
        }
        if (query["visibility"].ToString() is { Length: > 0 } visibility)
        {
            namespaces = namespaces.Where(n => (string?)n["visibility"] == visibility);
        }
        if (query["marker"].ToString() is { Length: > 0 } marker)
        {
            _ = catalog.Find(marker) ?? throw CloudException.NotFound($"Metadata definition namespace={marker} was not found.");
            namespaces = namespaces.SkipWhile(n => (string?)n["namespace"] != marker).Skip(1);
        }
        var limit = (int)Math.Min(ImagesRoutes.Number(query["limit"].FirstOrDefault(), "limit") ?? 25, 1000);
        var page = namespaces.Take(limit + 1).ToList();
        var body = new JsonObject
        {
            ["namespaces"] = new JsonArray([.. page.Take(limit).Select(n => (JsonNode)Summary(n))]),
            ["first"] = Root,
            ["schema"] = "/v2/schemas/metadefs/namespaces",
        };
        if (page.Count > limit)
        {
            body["next"] = $"{Root}?marker={Uri.EscapeDataString((string)page[limit - 1]["namespace"]!)}&limit={limit}";
        }
        await WriteAsync(context, body).ConfigureAwait(false);
    }

    private Task ShowAsync(HttpContext context) => ChildrenAsync(context, n =>
    {
        var json = Summary(n);
        // Glance leaves out what a namespace has none of (its show sets each only when the list is not empty).
        foreach (var key in new[] { "properties", "objects" })
        {
            if (n[key] is JsonArray { Count: > 0 } or JsonObject { Count: > 0 } && n[key] is { } value)
            {
                json[key] = value.DeepClone();
            }
        }
        if (Tags(n).Count > 0)
        {
            json["tags"] = new JsonArray([.. Tags(n).Select(t => (JsonNode)new JsonObject { ["name"] = t })]);
        }
        return json;
    });

    private async Task ResourceTypesAsync(HttpContext context)
    {
        await caller.ContextAsync(context).ConfigureAwait(false);
        await WriteAsync(context, new JsonObject
        {
            ["resource_types"] = new JsonArray([.. catalog.ResourceTypes().Select(t => (JsonNode)Stamped(new JsonObject { ["name"] = t }))]),
        }).ConfigureAwait(false);
    }

    private async Task RefuseChangeAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var segments = ((string?)context.Request.RouteValues["path"] ?? "").Split('/');
        var kind = segments.Length switch
        {
            <= 2 => segments[0] == "resource_types" ? "resource_type" : "namespace",
            _ => segments[2] switch { "objects" => "object", "properties" => "property", "tags" => "tag", _ => "resource_type_association" },
        };
        var verb = context.Request.Method switch { "POST" => "add", "PUT" => "modify", _ => "delete" };
        throw ctx.IsAdmin
            ? CloudException.Forbidden($"The metadata definitions of this cloud are glance's shipped catalog and cannot be changed ({verb}_metadef_{kind}).")
            : CloudException.Forbidden($"You are not authorized to complete {verb}_metadef_{kind} action.");
    }

    private async Task ChildrenAsync(HttpContext context, Func<JsonObject, JsonObject> view)
    {
        await caller.ContextAsync(context).ConfigureAwait(false);
        await WriteAsync(context, view(Namespace(context))).ConfigureAwait(false);
    }

    private Task ChildAsync(HttpContext context, Func<JsonObject, string, JsonObject> view) =>
        ChildrenAsync(context, n => view(n, (string)context.Request.RouteValues["name"]!));

    private JsonObject Namespace(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["ns"]!;
        return catalog.Find(name) ?? throw CloudException.NotFound($"Metadata definition namespace={name} was not found.");
    }

    private JsonObject Summary(JsonObject n)
    {
        var json = new JsonObject();
        foreach (var key in new[] { "namespace", "display_name", "description", "visibility", "protected", "owner" })
        {
            if (n[key] is { } value)
            {
                json[key] = value.DeepClone();
            }
        }
        Stamped(json);
        if (MetadefCatalog.Associations(n).Any())
        {
            json["resource_type_associations"] = Associations(n);
        }
        json["schema"] = "/v2/schemas/metadefs/namespace";
        json["self"] = $"{Root}/{n["namespace"]}";
        return json;
    }

    private JsonArray Associations(JsonObject n) =>
        new([.. MetadefCatalog.Associations(n).Select(a => (JsonNode)Stamped(a.DeepClone().AsObject()))]);

    private JsonObject Object(JsonObject n, JsonObject o)
    {
        var json = Stamped(o.DeepClone().AsObject());
        json["schema"] = "/v2/schemas/metadefs/object";
        json["self"] = $"{Root}/{n["namespace"]}/objects/{o["name"]}";
        return json;
    }

    private static JsonObject Property(JsonObject n, string name)
    {
        var definition = (n["properties"] as JsonObject)?[name] as JsonObject
            ?? throw CloudException.NotFound($"The metadata definition property with name={name} was not found in namespace={n["namespace"]}.");
        var json = new JsonObject { ["name"] = name };
        foreach (var (key, value) in definition)
        {
            json[key] = value?.DeepClone();
        }
        return json;
    }

    private static IEnumerable<JsonObject> Objects(JsonObject n) => (n["objects"] as JsonArray ?? []).OfType<JsonObject>();

    private static List<string> Tags(JsonObject n) =>
        (n["tags"] as JsonArray ?? []).OfType<JsonObject>().Select(t => (string?)t["name"]).OfType<string>().ToList();

    private JsonObject Stamped(JsonObject json)
    {
        // Glance leaves updated_at out until something is updated: the shipped catalog never is.
        json["created_at"] = GlanceJson.Timestamp(catalog.LoadedAt);
        return json;
    }

    private static Task WriteAsync(HttpContext context, JsonObject body) => GlanceJson.WriteAsync(context, StatusCodes.Status200OK, body);
}
