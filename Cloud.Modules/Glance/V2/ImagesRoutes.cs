using System.Globalization;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Cloud.Modules.Glance.V2;

/// <summary><c>/v2/images</c>: create, list, show, JSON-patch update, delete, deactivate/reactivate and tags.</summary>
public sealed class ImagesRoutes(GlanceCaller caller, ImageApi images, ImageRegistry registry, Import.ImageImporter importer)
{
    /// <summary>Query parameters of the list that are not free-form property filters.</summary>
    private static readonly HashSet<string> ListParameters = new(StringComparer.Ordinal)
    {
        "name", "status", "visibility", "owner", "disk_format", "container_format", "size_min", "size_max", "protected", "tag",
        "member_status", "sort_key", "sort_dir", "sort", "limit", "marker", "os_hidden", "size", "id", "checksum", "os_hash_value",
    };

    private static readonly string[] PatchTypes = ["application/openstack-images-v2.1-json-patch", ImagePatch.Draft4MediaType];

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/v2/images", CreateAsync);
        app.MapGet("/v2/images", ListAsync);
        app.MapGet("/v2/images/{id}", ShowAsync);
        app.MapMethods("/v2/images/{id}", ["PATCH"], UpdateAsync);
        app.MapDelete("/v2/images/{id}", DeleteAsync);
        app.MapPost("/v2/images/{id}/actions/deactivate", context => ActAsync(context, registry.DeactivateAsync));
        app.MapPost("/v2/images/{id}/actions/reactivate", context => ActAsync(context, registry.ReactivateAsync));
        app.MapPut("/v2/images/{id}/tags/{tag}", AddTagAsync);
        app.MapDelete("/v2/images/{id}/tags/{tag}", context => ActAsync(context, (ctx, id, ct) => registry.RemoveTagAsync(ctx, id, Tag(context), ct)));
    }

    private async Task CreateAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var (draft, id) = ImageDraft.FromCreateRequest(await GlanceJson.ReadAsync(context, "application/json").ConfigureAwait(false));
        var image = await images.CreateAsync(ctx, draft, id, context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers.Location = $"/v2/images/{image.Id}";
        // What openstacksdk and glanceclient read to choose how to upload (glance sends both on create).
        context.Response.Headers["OpenStack-image-import-methods"] = string.Join(',', importer.EnabledMethods);
        context.Response.Headers["OpenStack-image-store-ids"] = importer.DefaultStoreId;
        await GlanceJson.WriteAsync(context, StatusCodes.Status201Created, ImageView.Image(image)).ConfigureAwait(false);
    }

    private async Task ShowAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var image = await registry.GetAsync(ctx, Id(context), context.RequestAborted).ConfigureAwait(false);
        await GlanceJson.WriteAsync(context, StatusCodes.Status200OK, ImageView.Image(image)).ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var document = await GlanceJson.ReadAsync(context, PatchTypes).ConfigureAwait(false);
        var draft4 = string.Equals(context.Request.ContentType?.Split(';')[0].Trim(), ImagePatch.Draft4MediaType, StringComparison.OrdinalIgnoreCase);
        var patch = ImagePatch.ParseDocument(document, draft4);
        var image = await registry.UpdateAsync(ctx, Id(context), patch, context.RequestAborted).ConfigureAwait(false);
        await GlanceJson.WriteAsync(context, StatusCodes.Status200OK, ImageView.Image(image)).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        await images.DeleteAsync(ctx, Id(context), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private Task AddTagAsync(HttpContext context) =>
        ActAsync(context, async (ctx, id, ct) => await registry.AddTagAsync(ctx, id, Tag(context), ct).ConfigureAwait(false));

    private async Task ActAsync(HttpContext context, Func<Kernel.Auth.RequestContext, string, CancellationToken, Task> action)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        await action(ctx, Id(context), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task ListAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var query = context.Request.Query;
        var imageQuery = Query(query);
        var page = await registry.ListAsync(ctx, imageQuery, context.RequestAborted).ConfigureAwait(false);
        var body = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["images"] = page.Images.Select(ImageView.Image),
            ["first"] = WithQuery(QueryBut(query, "marker")),
            ["schema"] = "/v2/schemas/images",
        };
        // Glance links a next page whenever the page is full, even when nothing follows it (its client then reads an empty page).
        if (page.Images.Count > 0 && page.Images.Count == imageQuery.Limit)
        {
            body["next"] = WithQuery(QueryBut(query, "marker").Append($"marker={page.Images[^1].Id}"));
        }
        await GlanceJson.WriteAsync(context, StatusCodes.Status200OK, body).ConfigureAwait(false);
    }

    /// <summary>The request's parameters but <paramref name="left"/>, as glance carries them into <c>first</c> and <c>next</c>.</summary>
    private static IEnumerable<string> QueryBut(IQueryCollection query, string left) =>
        query.Where(p => p.Key != left).SelectMany(p => p.Value.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v ?? "")}"));

    private static string WithQuery(IEnumerable<string> parameters) =>
        parameters.ToList() is { Count: > 0 } list ? "/v2/images?" + string.Join('&', list) : "/v2/images";

    /// <summary>The list query from glance's parameters; anything unknown filters on a free-form property.</summary>
    public static ImageQuery Query(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        string? One(string name) => query.TryGetValue(name, out var v) && !StringValues.IsNullOrEmpty(v) ? v.ToString() : null;
        return new ImageQuery
        {
            Name = One("name"),
            Status = One("status"),
            Visibility = One("visibility"),
            Owner = One("owner"),
            DiskFormat = One("disk_format"),
            ContainerFormat = One("container_format"),
            SizeMin = RangeBound(One("size_min")),
            SizeMax = RangeBound(One("size_max")),
            Protected = Flag(One("protected"), "protected"),
            Size = Number(One("size"), "size"),
            Id = One("id"),
            Checksum = One("checksum"),
            OsHashValue = One("os_hash_value"),
            OsHidden = Flag(One("os_hidden"), "os_hidden") ?? false,
            ExcludeKilled = true,
            Tags = query["tag"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList(),
            MemberStatus = One("member_status") ?? MemberStatus.Accepted,
            Properties = query.Where(p => !ListParameters.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal),
            Sort = Sort(query),
            Limit = Limit(One("limit")),
            Marker = One("marker"),
        };
    }

    /// <summary><c>sort_key=a,b&amp;sort_dir=asc,desc</c> (keys repeatable) or <c>sort=a:asc,b</c>.</summary>
    private static List<ImageSortKey> Sort(IQueryCollection query)
    {
        if (query.TryGetValue("sort", out var sort) && !StringValues.IsNullOrEmpty(sort))
        {
            return sort.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => s.Split(':', 2)).Select(s => ImageSortKey.Parse(s[0], s.Length > 1 ? s[1] : null)).ToList();
        }
        var keys = Split(query["sort_key"]);
        var dirs = Split(query["sort_dir"]);
        if (dirs.Count > 1 && dirs.Count != keys.Count)
        {
            throw CloudException.Invalid($"Give one sort_dir for all sort keys or one per key: {keys.Count} keys, {dirs.Count} directions.");
        }
        if (keys.Count == 0 && dirs.Count == 1)
        {
            keys = ["created_at"];
        }
        return keys.Select((k, n) => ImageSortKey.Parse(k, dirs.Count == 0 ? null : dirs[Math.Min(n, dirs.Count - 1)])).ToList();
    }

    private static List<string> Split(StringValues values) =>
        values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    internal static long? Number(string? text, string name) => text is null ? null
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
        : throw CloudException.Invalid($"Invalid value '{text}' for {name}: a non-negative integer is expected.");

    /// <summary>glance's <c>_validate_limit</c>: an integer, not negative; above the maximum it is the maximum.</summary>
    private static int Limit(string? text)
    {
        if (text is null)
        {
            return ImageQuery.DefaultLimit;
        }
        if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit))
        {
            throw CloudException.Invalid("limit param must be an integer");
        }
        return limit < 0 ? throw CloudException.Invalid("limit param must be positive") : (int)Math.Min(limit, ImageQuery.MaxLimit);
    }

    /// <summary>A <c>size_min</c> or <c>size_max</c> bound: any integer, as glance's database filter reads it.</summary>
    private static long? RangeBound(string? text) => text is null ? null
        : long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n
        : throw CloudException.Invalid("Unable to filter on a range with a non-numeric value.");

    private static bool? Flag(string? text, string name) => text?.ToLowerInvariant() switch
    {
        null => null,
        "true" => true,
        "false" => false,
        _ => throw CloudException.Invalid($"Invalid value '{text}' for '{name}' filter. Valid values are 'true' or 'false'."),
    };

    internal static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    private static string Tag(HttpContext context) => (string)context.Request.RouteValues["tag"]!;
}
