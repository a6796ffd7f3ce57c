using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// <c>/v2.1/flavors</c>: list and detail (filters minRam, minDisk, is_public; sort_key/sort_dir; limit/marker with
/// <c>flavors_links</c>), show by flavor id (a name is a 404, as the clients' lookups expect), and the admin's create,
/// delete and description update (2.55). Access lists and extra specs: <see cref="FlavorAccessRoutes"/>,
/// <see cref="FlavorExtraSpecsRoutes"/>.
/// </summary>
public sealed class FlavorsRoutes(NovaCaller caller, FlavorApi flavors) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/flavors", context => ListAsync(context, detail: false));
        app.MapGet("/v2.1/flavors/detail", context => ListAsync(context, detail: true));
        app.MapGet("/v2.1/flavors/{id}", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var flavor = await flavors.GetVisibleAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
            var specs = await flavors.ExtraSpecsAsync(flavor, context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { flavor = FlavorView.Full(context, flavor, specs) }).ConfigureAwait(false);
        });
        app.MapPost("/v2.1/flavors", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var spec = FlavorRequest.Create(await NovaJson.ReadAsync(context).ConfigureAwait(false), NovaVersions.Of(context));
            NovaPolicy.RequireAdmin(ctx, "os-flavor-manage:create");
            var flavor = await flavors.CreateAsync(ctx, spec, context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { flavor = FlavorView.Full(context, flavor, new Dictionary<string, string>()) }).ConfigureAwait(false);
        });
        app.MapPut("/v2.1/flavors/{id}", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            if (!NovaVersions.Of(context).AtLeast(55))
            {
                throw CloudException.NotFound("The resource could not be found.");
            }
            var description = FlavorRequest.Update(await NovaJson.ReadAsync(context).ConfigureAwait(false));
            NovaPolicy.RequireAdmin(ctx, "os-flavor-manage:update");
            var flavor = await flavors.DescribeAsync(ctx, NovaCaller.Route(context), description, context.RequestAborted).ConfigureAwait(false);
            var specs = await flavors.ExtraSpecsAsync(flavor, context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { flavor = FlavorView.Full(context, flavor, specs) }).ConfigureAwait(false);
        });
        app.MapDelete("/v2.1/flavors/{id}", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            NovaPolicy.RequireAdmin(ctx, "os-flavor-manage:delete");
            var flavor = await flavors.GetVisibleAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
            await flavors.DeleteAsync(ctx, flavor.FlavorId, context.RequestAborted).ConfigureAwait(false);
            NovaJson.Empty(context, StatusCodes.Status202Accepted);
        });
    }

    private async Task ListAsync(HttpContext context, bool detail)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var query = context.Request.Query;
        var visible = await flavors.ListVisibleAsync(ctx, IsPublic(query["is_public"].ToString()), context.RequestAborted).ConfigureAwait(false);
        IEnumerable<Flavor> selected = visible;
        if (query.ContainsKey("minRam"))
        {
            var minRam = Minimum(query["minRam"].ToString(), "minRam");
            selected = selected.Where(f => f.MemoryMb >= minRam);
        }
        if (query.ContainsKey("minDisk"))
        {
            var minDisk = Minimum(query["minDisk"].ToString(), "minDisk");
            selected = selected.Where(f => f.RootGb >= minDisk);
        }
        var (page, limit) = NovaPaging.Page(context, Sorted(context, selected), FlavorView.Id);
        var json = new Dictionary<string, object>(StringComparer.Ordinal);
        if (detail && NovaVersions.Of(context).AtLeast(61))
        {
            var items = new List<object>();
            foreach (var flavor in page)
            {
                items.Add(FlavorView.Full(context, flavor, await flavors.ExtraSpecsAsync(flavor, context.RequestAborted).ConfigureAwait(false)));
            }
            json["flavors"] = items;
        }
        else
        {
            json["flavors"] = page.Select(f => detail ? FlavorView.Full(context, f) : FlavorView.Brief(context, f)).ToList();
        }
        if (NovaPaging.NextLinks(context, detail ? "flavors/detail" : "flavors", page, limit, FlavorView.Id) is { } links)
        {
            json["flavors_links"] = links;
        }
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, json).ConfigureAwait(false);
    }

    private static IEnumerable<Flavor> Sorted(HttpContext context, IEnumerable<Flavor> flavors)
    {
        var keyName = context.Request.Query["sort_key"].ToString() is { Length: > 0 } k ? k : "flavorid";
        var direction = context.Request.Query["sort_dir"].ToString() is { Length: > 0 } d ? d : "asc";
        var key = FlavorView.SortKey(keyName)
            ?? throw CloudException.Invalid($"Invalid input for query parameters sort_key. Value: {keyName}. '{keyName}' is not one of the valid sort keys");
        if (direction is not ("asc" or "desc"))
        {
            throw CloudException.Invalid($"Invalid input for query parameters sort_dir. Value: {direction}. '{direction}' is not one of ['asc', 'desc']");
        }
        var comparer = Comparer<object?>.Create((a, b) => a is string x && b is string y ? string.CompareOrdinal(x, y) : Comparer<object?>.Default.Compare(a, b));
        return direction == "asc" ? flavors.OrderBy(key, comparer).ThenBy(f => f.Id) : flavors.OrderByDescending(key, comparer).ThenByDescending(f => f.Id);
    }

    /// <summary>nova's <c>_parse_is_public</c>: absent → public only, "none" → all, else a strict boolean.</summary>
    private static bool? IsPublic(string text) => text.ToLowerInvariant() switch
    {
        "" => true,
        "none" => null,
        "1" or "t" or "true" or "on" or "y" or "yes" => true,
        "0" or "f" or "false" or "off" or "n" or "no" => false,
        _ => throw CloudException.Invalid($"Invalid is_public filter [{text}]"),
    };

    private static long Minimum(string text, string name) =>
        long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw CloudException.Invalid($"Invalid {name} filter [{text}]");
}
