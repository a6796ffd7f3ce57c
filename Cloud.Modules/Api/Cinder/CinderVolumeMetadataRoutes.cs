using Cloud.Modules.Api.OpenStack;
using Cloud.Modules.Kernel;
using Cloud.Modules.Volume;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Cinder;

/// <summary>
/// <c>/v3/{project_id}/volumes/{id}/metadata</c>: show, merge (POST), replace (PUT), and one key's show, set and delete
/// (what <c>openstack volume set|unset --property</c> calls).
/// </summary>
public sealed class CinderVolumeMetadataRoutes(CinderCaller caller, VolumeApi volumes)
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        const string Root = "/v3/{project_id}/volumes/{id}/metadata";
        app.MapGet(Root, async context =>
        {
            var (_, volume) = await VolumeAsync(context).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { metadata = volume.Metadata }).ConfigureAwait(false);
        });
        app.MapPost(Root, context => ChangeAsync(context, replace: false));
        app.MapPut(Root, context => ChangeAsync(context, replace: true));
        app.MapGet(Root + "/{key}", async context =>
        {
            var (_, volume) = await VolumeAsync(context).ConfigureAwait(false);
            var key = CinderCaller.Route(context, "key");
            var value = volume.Metadata.TryGetValue(key, out var found) ? found : throw CloudException.NotFound($"Volume {volume.Uuid} has no metadata with key {key}.");
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { meta = new Dictionary<string, string> { [key] = value } }).ConfigureAwait(false);
        });
        app.MapPut(Root + "/{key}", SetKeyAsync);
        app.MapDelete(Root + "/{key}", async context =>
        {
            var (ctx, volume) = await VolumeAsync(context).ConfigureAwait(false);
            var key = CinderCaller.Route(context, "key");
            if (!volume.Metadata.ContainsKey(key))
            {
                throw CloudException.NotFound($"Volume {volume.Uuid} has no metadata with key {key}.");
            }
            var rest = volume.Metadata.Where(p => p.Key != key).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            await volumes.UpdateAsync(ctx, volume.Uuid, null, null, rest, context.RequestAborted).ConfigureAwait(false);
            NovaJson.Empty(context, StatusCodes.Status200OK);
        });
    }

    private async Task ChangeAsync(HttpContext context, bool replace)
    {
        var (ctx, volume) = await VolumeAsync(context).ConfigureAwait(false);
        var given = CinderInput.Metadata(await NovaJson.ReadAsync(context).ConfigureAwait(false))
            ?? throw CloudException.Invalid("Malformed request body: the object 'metadata' is missing.");
        var merged = replace ? given : new Dictionary<string, string>(volume.Metadata, StringComparer.Ordinal);
        foreach (var (key, value) in given)
        {
            merged[key] = value;
        }
        var updated = await volumes.UpdateAsync(ctx, volume.Uuid, null, null, merged, context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { metadata = updated.Metadata }).ConfigureAwait(false);
    }

    private async Task SetKeyAsync(HttpContext context)
    {
        var (ctx, volume) = await VolumeAsync(context).ConfigureAwait(false);
        var key = CinderCaller.Route(context, "key");
        var meta = CinderInput.Metadata(await NovaJson.ReadAsync(context).ConfigureAwait(false), "meta")
            ?? throw CloudException.Invalid("Malformed request body: the object 'meta' is missing.");
        if (meta.Count != 1 || !meta.TryGetValue(key, out var value))
        {
            throw CloudException.Invalid("Request body and URI mismatch");
        }
        var merged = new Dictionary<string, string>(volume.Metadata, StringComparer.Ordinal) { [key] = value };
        await volumes.UpdateAsync(ctx, volume.Uuid, null, null, merged, context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { meta }).ConfigureAwait(false);
    }

    private async Task<(Kernel.Auth.RequestContext Context, VolumeInfo Volume)> VolumeAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        return (ctx, await volumes.GetAsync(ctx, CinderCaller.Route(context), context.RequestAborted).ConfigureAwait(false));
    }
}
