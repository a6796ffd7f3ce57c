using Cloud.Modules.Api.OpenStack.Validation;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// One metadata item of a server (nova's server_metadata.py): <c>GET</c>, <c>PUT</c> (<c>{"meta": {key: value}}</c>, the key
/// as in the URI, else 400 "Request body and URI mismatch") and <c>DELETE</c> of <c>/v2.1/servers/{id}/metadata/{key}</c>.
/// </summary>
public sealed class ServerMetadataItemRoutes(NovaCaller caller, ComputeApi compute, InstanceMetadataApi metadata, ServersRoutes servers) : INovaRoutes
{
    private const string NotFound = "Metadata item was not found";

    /// <summary>nova's server_metadata <c>update</c> schema: <c>meta</c>, a metadata object of exactly one item.</summary>
    private static readonly JsonSchema Item = new()
    {
        Types = ["object"],
        Properties = [new("meta", NovaParameterTypes.Metadata with { MinProperties = 1, MaxProperties = 1 })],
        Required = ["meta"],
        AdditionalProperties = false,
    };

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/servers/{id}/metadata/{key}", async context =>
        {
            var (ctx, instance, key) = await ItemAsync(context).ConfigureAwait(false);
            var items = await compute.GetMetadataAsync(ctx, instance.Uuid, context.RequestAborted).ConfigureAwait(false);
            var value = items.TryGetValue(key, out var found) ? found : throw CloudException.NotFound(NotFound);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { meta = new Dictionary<string, string> { [key] = value } }).ConfigureAwait(false);
        });
        app.MapPut("/v2.1/servers/{id}/metadata/{key}", async context =>
        {
            var (ctx, instance, key) = await ItemAsync(context).ConfigureAwait(false);
            var body = await NovaJson.ReadAsync(context).ConfigureAwait(false);
            Item.Validate(body);
            var meta = NovaJson.StringMap(body, "meta") ?? [];
            if (!meta.TryGetValue(key, out var value))
            {
                throw CloudException.Invalid("Request body and URI mismatch");
            }
            await metadata.SetAsync(ctx, instance.Uuid, new Dictionary<string, string> { [key] = value }, replace: false, context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { meta = new Dictionary<string, string> { [key] = value } }).ConfigureAwait(false);
        });
        app.MapDelete("/v2.1/servers/{id}/metadata/{key}", async context =>
        {
            var (ctx, instance, key) = await ItemAsync(context).ConfigureAwait(false);
            var items = await compute.GetMetadataAsync(ctx, instance.Uuid, context.RequestAborted).ConfigureAwait(false);
            if (!items.ContainsKey(key))
            {
                throw CloudException.NotFound(NotFound);
            }
            var rest = items.Where(i => i.Key != key).ToDictionary(i => i.Key, i => i.Value, StringComparer.Ordinal);
            await metadata.SetAsync(ctx, instance.Uuid, rest, replace: true, context.RequestAborted).ConfigureAwait(false);
            NovaJson.Empty(context, StatusCodes.Status204NoContent);
        });
    }

    private async Task<(Kernel.Auth.RequestContext Context, Instance Instance, string Key)> ItemAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var instance = await servers.LiveAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        return (ctx, instance, NovaCaller.Route(context, "key"));
    }
}
