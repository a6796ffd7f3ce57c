using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// <c>GET /v2.1/servers/{id}/ips</c> and <c>/ips/{network_label}</c> (nova's ips.py): the server's addresses by network label,
/// each only <c>version</c> and <c>addr</c>, as in the server view without its extended attributes.
/// </summary>
public sealed class ServerIpsRoutes(NovaCaller caller, ServersRoutes servers, ServerDetails details) : INovaRoutes
{
    private static readonly ServerViewOptions Basic = ServerViewOptions.List with { ExtendedAddresses = false };

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/servers/{id}/ips", async context =>
        {
            var addresses = await AddressesAsync(context).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { addresses }).ConfigureAwait(false);
        });
        app.MapGet("/v2.1/servers/{id}/ips/{network_label}", async context =>
        {
            var label = NovaCaller.Route(context, "network_label");
            var addresses = await AddressesAsync(context).ConfigureAwait(false);
            var network = addresses.TryGetValue(label, out var found) ? found : throw CloudException.NotFound("Instance is not a member of specified network");
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new Dictionary<string, object?> { [label] = network }).ConfigureAwait(false);
        });
    }

    private async Task<IDictionary<string, object?>> AddressesAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var instance = await servers.LiveAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        var view = await details.OneAsync(context, ctx, instance, Basic).ConfigureAwait(false);
        return view["addresses"] is System.Collections.IDictionary byLabel
            ? byLabel.Keys.Cast<string>().ToDictionary(k => k, k => byLabel[k], StringComparer.Ordinal)
            : new Dictionary<string, object?>(StringComparer.Ordinal);
    }
}
