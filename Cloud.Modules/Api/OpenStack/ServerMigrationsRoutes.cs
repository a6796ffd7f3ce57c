using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// <c>GET /v2.1/servers/{id}/migrations[/{migration_id}]</c> (2.23, admin; nova's server_migrations.py): a server's live
/// migrations in progress. cloudd migrates servers only by resize (cold), never live, so the list is always empty and
/// every migration id is not found, as nova answers for a server that is not being live-migrated.
/// </summary>
public sealed class ServerMigrationsRoutes(NovaCaller caller, ServersRoutes servers) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/servers/{id}/migrations", async context =>
        {
            await ServerAsync(context, "index").ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { migrations = Array.Empty<object>() }).ConfigureAwait(false);
        });
        app.MapGet("/v2.1/servers/{id}/migrations/{migration_id}", async context =>
        {
            var server = await ServerAsync(context, "show").ConfigureAwait(false);
            throw CloudException.NotFound($"In-progress live migration {NovaCaller.Route(context, "migration_id")} is not found for server {server}.");
        });
    }

    /// <summary>The server's UUID once the version, the server and the policy (<paramref name="verb"/>) allow the request.</summary>
    private async Task<string> ServerAsync(HttpContext context, string verb)
    {
        if (!NovaVersions.Of(context).AtLeast(23))
        {
            throw CloudException.NotFound("The resource could not be found.");
        }
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var instance = await servers.LiveAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        NovaPolicy.RequireAdmin(ctx, "servers:migrations:" + verb);
        return instance.Uuid;
    }
}
