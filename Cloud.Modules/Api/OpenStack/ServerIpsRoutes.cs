using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// <c>GET /v2.1/servers/{id}/ips</c> and <c>/ips/{network_label}</c> (nova's ips.py): the server's addresses by network label,
/// each only <c>version</c> and <c>addr</c>, as in the server view without its extended attributes.
/// </summary>
public sealed class ServerIpsRoutes(NovaCaller caller, ServersRoutes servers, InstanceMetadataApi metadata) : INovaRoutes
{
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

    /// <summary>Only the addresses: the rest of the server view (flavor, volumes, groups, metadata) is not read.</summary>
    private async Task<Dictionary<string, List<Dictionary<string, object?>>>> AddressesAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var instance = await servers.LiveAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        var addresses = await metadata.AddressesAsync([instance], context.RequestAborted).ConfigureAwait(false);
        return ServerView.Addresses(new ServerFacts(instance) { Addresses = [.. addresses[instance.Uuid]] }, extended: false);
    }
}
