using System.Globalization;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// <c>GET /v2.1/os-migrations</c> (admin): every resize, newest first, filtered by <c>instance_uuid</c>, <c>status</c>,
/// <c>host</c>, <c>migration_type</c> (and <c>project_id</c> from 2.80); <c>migration_type</c> from 2.23, <c>uuid</c> from 2.59,
/// <c>user_id</c> and <c>project_id</c> from 2.80.
/// </summary>
public sealed class MigrationsRoutes(NovaCaller caller, MigrationApi migrations) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/os-migrations", ListAsync);
    }

    private async Task ListAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        NovaPolicy.RequireAdmin(ctx, "os-migrations:index");
        var version = NovaVersions.Of(context);
        var q = context.Request.Query;
        string? Filter(string name) => q.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v.ToString() : null;
        var query = new MigrationQuery(Filter("instance_uuid"), Filter("status"), Filter("host"), Filter("migration_type"),
            version.AtLeast(80) ? Filter("project_id") : null);
        var all = await migrations.ListAsync(ctx, query, context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { migrations = all.Select(m => View(m, version)).ToList() }).ConfigureAwait(false);
    }

    private static Dictionary<string, object?> View(Migration m, Microversion version)
    {
        var json = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["created_at"] = Timestamp(m.CreatedAt),
            ["dest_compute"] = m.DestCompute,
            ["dest_host"] = m.DestCompute,
            ["dest_node"] = m.DestCompute,
            ["id"] = m.Id,
            ["instance_uuid"] = m.InstanceUuid,
            ["new_instance_type_id"] = m.NewInstanceTypeId,
            ["old_instance_type_id"] = m.OldInstanceTypeId,
            ["source_compute"] = m.SourceCompute,
            ["source_node"] = m.SourceCompute,
            ["status"] = m.Status,
            ["updated_at"] = Timestamp(m.UpdatedAt),
        };
        if (version.AtLeast(23))
        {
            json["migration_type"] = m.MigrationType;
        }
        if (version.AtLeast(59))
        {
            json["uuid"] = m.Uuid;
        }
        if (version.AtLeast(80))
        {
            json["user_id"] = m.UserId;
            json["project_id"] = m.ProjectId;
        }
        return json;
    }

    /// <summary>The migrations' times as nova prints them: microseconds, no zone.</summary>
    private static string Timestamp(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
}
