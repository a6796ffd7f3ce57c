using System.Globalization;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary><c>/v2.1/flavors</c>: list, detail, show by flavor id (a name is a 404, as the clients' lookups expect) and empty extra specs.</summary>
public sealed class FlavorsRoutes(NovaCaller caller, FlavorApi flavors) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/flavors", context => ListAsync(context, detail: false));
        app.MapGet("/v2.1/flavors/detail", context => ListAsync(context, detail: true));
        app.MapGet("/v2.1/flavors/{id}", async context =>
        {
            await caller.ContextAsync(context).ConfigureAwait(false);
            var flavor = await FindAsync(NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { flavor = Detail(context, flavor) }).ConfigureAwait(false);
        });
        app.MapGet("/v2.1/flavors/{id}/os-extra_specs", async context =>
        {
            await caller.ContextAsync(context).ConfigureAwait(false);
            await FindAsync(NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { extra_specs = new Dictionary<string, string>() }).ConfigureAwait(false);
        });
    }

    private async Task ListAsync(HttpContext context, bool detail)
    {
        await caller.ContextAsync(context).ConfigureAwait(false);
        var all = await flavors.ListAsync(context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new
        {
            flavors = all.OrderBy(f => f.Id).Select(f => detail ? Detail(context, f) : Summary(context, f)),
        }).ConfigureAwait(false);
    }

    private async Task<Flavor> FindAsync(string id, CancellationToken cancellationToken) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
        && (await flavors.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(f => f.Id == number) is { } flavor
            ? flavor
            : throw CloudException.NotFound($"Flavor {id} could not be found.");

    private static Dictionary<string, object?> Summary(HttpContext context, Flavor flavor)
    {
        var id = flavor.Id.ToString(CultureInfo.InvariantCulture);
        return new(StringComparer.Ordinal) { ["id"] = id, ["name"] = flavor.Name, ["links"] = NovaJson.Links(context, "flavors", id) };
    }

    private static Dictionary<string, object?> Detail(HttpContext context, Flavor flavor)
    {
        var json = Summary(context, flavor);
        json["ram"] = flavor.MemoryMb;
        json["disk"] = flavor.RootGb;
        json["vcpus"] = flavor.Vcpus;
        json["swap"] = "";
        json["OS-FLV-EXT-DATA:ephemeral"] = 0;
        json["OS-FLV-DISABLED:disabled"] = false;
        json["rxtx_factor"] = 1.0;
        json["os-flavor-access:is_public"] = true;
        return json;
    }
}
