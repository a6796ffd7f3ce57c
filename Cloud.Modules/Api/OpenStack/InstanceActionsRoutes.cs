using System.Globalization;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// <c>GET /v2.1/servers/{id}/os-instance-actions[/{request_id}]</c> (nova's instance_actions): the actions done to a server,
/// newest first, and one with its events. Deleted servers from 2.21; events for their owner from 2.51 (admins always, with
/// traceback); <c>updated_at</c>, limit/marker and changes-since from 2.58, changes-before from 2.66; the events' hostId (and
/// host for admins) from 2.62 and details for admins from 2.84.
/// </summary>
public sealed class InstanceActionsRoutes(NovaCaller caller, ComputeApi compute, InstanceActionsApi actions) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/servers/{id}/os-instance-actions", ListAsync);
        app.MapGet("/v2.1/servers/{id}/os-instance-actions/{requestId}", ShowAsync);
    }

    private async Task ListAsync(HttpContext context)
    {
        var (ctx, instance, version) = await ServerAsync(context).ConfigureAwait(false);
        var paged = version.AtLeast(58);
        var since = paged ? Time(context, "changes-since") : null;
        var before = version.AtLeast(66) ? Time(context, "changes-before") : null;
        if (since is not null && before < since)
        {
            throw CloudException.Invalid("The value of changes-since must be less than or equal to changes-before.");
        }
        IEnumerable<InstanceAction> list = await actions.ListAsync(instance.Uuid, since, before, context.RequestAborted).ConfigureAwait(false);
        var limit = paged ? Limit(context) : null;
        if (paged && context.Request.Query["marker"].LastOrDefault() is { } marker)
        {
            var all = list.ToList();
            var at = all.FindIndex(a => a.RequestId == marker);
            list = at < 0 ? throw CloudException.Invalid($"Marker {marker} could not be found.") : all.Skip(at + 1);
        }
        var page = (limit is { } n ? list.Take(n) : list).ToList();
        var body = new Dictionary<string, object?>(StringComparer.Ordinal) { ["instanceActions"] = page.Select(a => View(a, version)).ToList() };
        if (limit is { } max && page.Count == max && max > 0)
        {
            body["links"] = new[]
            {
                new { href = $"{NovaJson.BaseUrl(context)}/v2.1/servers/{instance.Uuid}/os-instance-actions?limit={max}&marker={page[^1].RequestId}", rel = "next" },
            };
        }
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, body).ConfigureAwait(false);
    }

    private async Task ShowAsync(HttpContext context)
    {
        var (ctx, instance, version) = await ServerAsync(context).ConfigureAwait(false);
        var requestId = NovaCaller.Route(context, "requestId");
        var action = await actions.FindAsync(instance.Uuid, requestId, context.RequestAborted).ConfigureAwait(false)
            ?? throw CloudException.NotFound($"Action {requestId} not found");
        var view = View(action, version);
        if (ctx.IsAdmin || version.AtLeast(51))
        {
            var events = await actions.EventsAsync(action, context.RequestAborted).ConfigureAwait(false);
            view["events"] = events.Select(e => EventView(e, action.ProjectId ?? instance.ProjectId, ctx.IsAdmin, version)).ToList();
        }
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { instanceAction = view }).ConfigureAwait(false);
    }

    /// <summary>The caller's server (an admin's: any); deleted ones too from 2.21.</summary>
    private async Task<(RequestContext Context, Instance Instance, Microversion Version)> ServerAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var version = NovaVersions.Of(context);
        var id = NovaCaller.Route(context);
        var instance = Guid.TryParse(id, out _) ? await compute.GetAsync(ctx, id, context.RequestAborted).ConfigureAwait(false) : null;
        return instance is not null && (!instance.Deleted || version.AtLeast(21))
            ? (ctx, instance, version)
            : throw CloudException.NotFound($"Instance {id} could not be found.");
    }

    private static Dictionary<string, object?> View(InstanceAction action, Microversion version)
    {
        var view = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["action"] = action.Action,
            ["instance_uuid"] = action.InstanceUuid,
            ["request_id"] = action.RequestId,
            ["user_id"] = action.UserId,
            ["project_id"] = action.ProjectId,
            ["start_time"] = ServerView.Microseconds(action.StartTime),
            ["message"] = action.Message,
        };
        if (version.AtLeast(58))
        {
            view["updated_at"] = action.UpdatedAt is { } updated ? ServerView.Microseconds(updated) : null;
        }
        return view;
    }

    private static Dictionary<string, object?> EventView(InstanceActionEvent e, string projectId, bool admin, Microversion version)
    {
        var view = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["event"] = e.Event,
            ["start_time"] = ServerView.Microseconds(e.StartTime),
            ["finish_time"] = e.FinishTime is { } finish ? ServerView.Microseconds(finish) : null,
            ["result"] = e.Result,
        };
        if (admin)
        {
            view["traceback"] = e.Traceback;
        }
        if (admin && version.AtLeast(62))
        {
            view["host"] = e.Host;
        }
        if (version.AtLeast(62))
        {
            view["hostId"] = e.Host is null ? "" : ServerView.HostId(projectId, e.Host);
        }
        if (admin && version.AtLeast(84))
        {
            view["details"] = e.Details;
        }
        return view;
    }

    /// <summary>nova's non-negative integer <c>limit</c>; null when absent.</summary>
    private static int? Limit(HttpContext context)
    {
        if (context.Request.Query["limit"].LastOrDefault() is not { } text)
        {
            return null;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            ? limit
            : throw CloudException.Invalid($"Invalid input for query parameters limit. Value: {text}. '{text}' does not match '^[0-9]*$'");
    }

    /// <summary>An ISO 8601 query parameter as UTC; null when absent, 400 when it is no date-time.</summary>
    private static DateTime? Time(HttpContext context, string name)
    {
        if (context.Request.Query[name].LastOrDefault() is not { } text)
        {
            return null;
        }
        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw CloudException.Invalid($"Invalid input for query parameters {name}. Value: {text}. '{text}' is not a 'date-time'");
    }
}
