using System.Text.Json;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// Private flavors' access lists (admin only): <c>GET /flavors/{id}/os-flavor-access</c> and the flavor actions
/// <c>addTenantAccess</c> / <c>removeTenantAccess</c>, each answering the list as it now is.
/// </summary>
public sealed class FlavorAccessRoutes(NovaCaller caller, FlavorApi flavors, Identity.IdentityApi identity) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/flavors/{id}/os-flavor-access", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            NovaPolicy.RequireAdmin(ctx, "os-flavor-access");
            var (flavor, projects) = await flavors.AccessAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, FlavorView.Access(flavor, projects)).ConfigureAwait(false);
        });
        app.MapPost("/v2.1/flavors/{id}/action", ActAsync);
    }

    private async Task ActAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var body = await NovaJson.ReadAsync(context).ConfigureAwait(false);
        var id = NovaCaller.Route(context);
        var (name, tenant) = body.EnumerateObject().ToList() switch
        {
            [{ Name: "addTenantAccess" or "removeTenantAccess" } action] => (action.Name, Tenant(action)),
            _ => throw CloudException.Invalid("There is no such action: " + string.Join(",", body.EnumerateObject().Select(p => p.Name))),
        };
        NovaPolicy.RequireAdmin(ctx, name == "addTenantAccess" ? "os-flavor-access:add_tenant_access" : "os-flavor-access:remove_tenant_access");
        // nova asks keystone whether the project exists before sharing, not before unsharing.
        if (name == "addTenantAccess" && await identity.FindProjectAsync(null, tenant, context.RequestAborted).ConfigureAwait(false) is null)
        {
            throw CloudException.Invalid($"Project ID {tenant} is not a valid project.");
        }
        var projects = name == "addTenantAccess"
            ? await flavors.AddAccessAsync(ctx, id, tenant, context.RequestAborted).ConfigureAwait(false)
            : await flavors.RemoveAccessAsync(ctx, id, tenant, context.RequestAborted).ConfigureAwait(false);
        var flavor = await flavors.GetVisibleAsync(ctx, id, context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, FlavorView.Access(flavor, projects)).ConfigureAwait(false);
    }

    /// <summary>nova's <c>add_tenant_access</c> schema: <c>{"tenant": "&lt;1..255 characters&gt;"}</c>.</summary>
    private static string Tenant(JsonProperty action)
    {
        if (action.Value.ValueKind != JsonValueKind.Object || !action.Value.TryGetProperty("tenant", out var tenant))
        {
            throw NovaSchema.Invalid(action.Name, action.Value.GetRawText(), "'tenant' is a required property");
        }
        return tenant.ValueKind != JsonValueKind.String ? throw NovaSchema.Invalid("tenant", tenant.GetRawText(), $"{tenant.GetRawText()} is not of type 'string'")
            : tenant.GetString() is { Length: >= 1 and <= 255 } text ? text
            : throw NovaSchema.Invalid("tenant", tenant.GetRawText(), $"{tenant.GetRawText()} is too {(tenant.GetString()!.Length == 0 ? "short" : "long")}");
    }
}
