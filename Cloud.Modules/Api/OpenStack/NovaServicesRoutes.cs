using System.Globalization;
using System.Text.Json;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// nova's <c>/v2.1/os-services</c> (admin only): list (filters host, binary; forced_down from 2.11; UUID ids from 2.53),
/// the pre-2.53 actions <c>PUT /os-services/{enable|disable|disable-log-reason|force-down}</c>, the 2.53
/// <c>PUT /os-services/{uuid}</c>, and delete. A disabled or forced-down compute service gets no new instances: the
/// scheduler's ComputeFilter reads the same row.
/// </summary>
public sealed class NovaServicesRoutes(NovaCaller caller, ServiceGroup services, ComputeApi compute) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/os-services", ListAsync);
        app.MapPut("/v2.1/os-services/{id}", UpdateAsync);
        app.MapDelete("/v2.1/os-services/{id}", DeleteAsync);
    }

    private async Task ListAsync(HttpContext context)
    {
        NovaPolicy.RequireAdmin(await caller.ContextAsync(context).ConfigureAwait(false), "os-services:list");
        var host = context.Request.Query["host"].ToString();
        var binary = context.Request.Query["binary"].ToString();
        var rows = (await services.ListAsync(context.RequestAborted).ConfigureAwait(false))
            .Where(s => NovaServiceNames.Binary(s) is { } b && (host.Length == 0 || s.Host == host) && (binary.Length == 0 || b == binary));
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { services = rows.Select(s => Detail(context, s)) }).ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpContext context)
    {
        NovaPolicy.RequireAdmin(await caller.ContextAsync(context).ConfigureAwait(false), "os-services:update");
        var body = await NovaJson.ReadAsync(context).ConfigureAwait(false);
        var id = NovaCaller.Route(context);
        if (NovaVersions.Of(context).AtLeast(53))
        {
            await UpdateByUuidAsync(context, id, body).ConfigureAwait(false);
            return;
        }
        var version = NovaVersions.Of(context);
        if (id is not ("enable" or "disable" or "disable-log-reason") && !(id == "force-down" && version.AtLeast(11)))
        {
            throw CloudException.NotFound("Unknown action");
        }
        var host = NovaJson.String(body, "host") ?? throw NovaSchema.Invalid("body", body.GetRawText(), "'host' is a required property");
        var binary = NovaJson.String(body, "binary") ?? throw NovaSchema.Invalid("body", body.GetRawText(), "'binary' is a required property");
        if (binary != "nova-compute")
        {
            throw CloudException.Invalid($"Updating a {binary} service is not supported. Only nova-compute services can be updated.");
        }
        var service = new Dictionary<string, object?>(StringComparer.Ordinal) { ["host"] = host, ["binary"] = binary };
        bool found;
        if (id == "force-down")
        {
            var forced = body.TryGetProperty("forced_down", out var value) ? NovaSchema.Boolean(value, "forced_down") : throw CloudException.Invalid("Missing forced_down field");
            found = await services.SetForcedDownAsync(host, NovaServiceNames.RowBinary(binary), forced, context.RequestAborted).ConfigureAwait(false);
            service["forced_down"] = forced;
        }
        else
        {
            var reason = id == "disable-log-reason"
                ? NovaJson.String(body, "disabled_reason") ?? throw CloudException.Invalid("Missing disabled reason field")
                : null;
            found = await services.SetStatusAsync(host, NovaServiceNames.RowBinary(binary), id != "enable", reason, context.RequestAborted).ConfigureAwait(false);
            service["status"] = id == "enable" ? "enabled" : "disabled";
            if (reason is not null)
            {
                service["disabled_reason"] = reason;
            }
        }
        if (!found)
        {
            throw CloudException.NotFound($"Could not find binary {binary} on host {host}.");
        }
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { service }).ConfigureAwait(false);
    }

    private async Task UpdateByUuidAsync(HttpContext context, string id, JsonElement body)
    {
        var row = await FindAsync(context, id).ConfigureAwait(false);
        if (NovaServiceNames.Binary(row) != "nova-compute")
        {
            throw CloudException.Invalid($"Updating a {NovaServiceNames.Binary(row)} service is not supported. Only nova-compute services can be updated.");
        }
        foreach (var property in body.EnumerateObject().Where(p => p.Name is not ("status" or "disabled_reason" or "forced_down")))
        {
            throw NovaSchema.Unexpected(null, body.GetRawText(), property.Name);
        }
        var status = NovaJson.String(body, "status");
        var reason = NovaJson.String(body, "disabled_reason");
        if (status is not (null or "enabled" or "disabled"))
        {
            throw NovaSchema.Invalid("status", status, $"'{status}' is not one of ['enabled', 'disabled']");
        }
        if (reason is not null && status != "disabled")
        {
            throw CloudException.Invalid("Specifying 'disabled_reason' with status 'enabled' is invalid.");
        }
        if (reason is { Length: > 255 })
        {
            throw NovaSchema.Invalid("disabled_reason", reason, $"'{reason}' is too long");
        }
        bool? forced = body.TryGetProperty("forced_down", out var value) ? NovaSchema.Boolean(value, "forced_down") : null;
        if (status is null && forced is null)
        {
            throw CloudException.Invalid("No updates were requested. Fields 'status' or 'forced_down' should be specified.");
        }
        if (status is not null)
        {
            await services.SetStatusAsync(row.Host, row.Binary, status == "disabled", reason, context.RequestAborted).ConfigureAwait(false);
        }
        if (forced is { } down)
        {
            await services.SetForcedDownAsync(row.Host, row.Binary, down, context.RequestAborted).ConfigureAwait(false);
        }
        var updated = await FindAsync(context, id).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { service = Detail(context, updated) }).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        NovaPolicy.RequireAdmin(ctx, "os-services:delete");
        var row = await FindAsync(context, NovaCaller.Route(context)).ConfigureAwait(false);
        if (row.Binary == "cloudd-compute"
            && (await compute.ListAsync(ctx, allProjects: true, context.RequestAborted).ConfigureAwait(false)).Any(i => !i.Deleted && i.Host == row.Host))
        {
            throw CloudException.Conflict("Unable to delete compute service that is hosting instances. Migrate or delete the instances first.");
        }
        await services.DeleteAsync(row.Host, row.Binary, context.RequestAborted).ConfigureAwait(false);
        NovaJson.Empty(context, StatusCodes.Status204NoContent);
    }

    /// <summary>The row a route id names: its number below 2.53, its UUID from 2.53 (400 for a malformed one).</summary>
    private async Task<ServiceRecord> FindAsync(HttpContext context, string id)
    {
        var byUuid = NovaVersions.Of(context).AtLeast(53);
        if (byUuid && !Guid.TryParse(id, out _))
        {
            throw CloudException.Invalid($"Invalid uuid {id}");
        }
        var rows = (await services.ListAsync(context.RequestAborted).ConfigureAwait(false)).Where(s => NovaServiceNames.Binary(s) is not null);
        return rows.FirstOrDefault(s => byUuid
                ? string.Equals(NovaServiceNames.Uuid(s), id, StringComparison.OrdinalIgnoreCase)
                : s.Id.ToString(CultureInfo.InvariantCulture) == id)
            ?? throw CloudException.NotFound($"Service {id} could not be found.");
    }

    private Dictionary<string, object?> Detail(HttpContext context, ServiceRecord service)
    {
        var version = NovaVersions.Of(context);
        var json = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = version.AtLeast(53) ? NovaServiceNames.Uuid(service) : service.Id,
            ["binary"] = NovaServiceNames.Binary(service),
            ["host"] = service.Host,
            ["zone"] = NovaServiceNames.Zone(service),
            ["status"] = service.Disabled ? "disabled" : "enabled",
            ["state"] = services.IsUp(service) ? "up" : "down",
            ["updated_at"] = NovaServiceNames.UpdatedAt(service),
            ["disabled_reason"] = service.DisabledReason,
        };
        if (version.AtLeast(11))
        {
            json["forced_down"] = service.ForcedDown;
        }
        return json;
    }
}
