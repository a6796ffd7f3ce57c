using System.Text.Json;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// <c>POST /v2.1/servers/{id}/action</c>: reboot, os-stop, os-start, os-getConsoleOutput, addSecurityGroup, removeSecurityGroup,
/// addFloatingIp and removeFloatingIp here; every other action is an <see cref="IServerAction"/>.
/// </summary>
public sealed class ServerActionsRoutes(
    NovaCaller caller,
    ComputeApi compute,
    ServersRoutes servers,
    SecurityGroupApi securityGroups,
    Network.FloatingIpApi floatingIps,
    IEnumerable<IServerAction> registered) : INovaRoutes
{
    private readonly Dictionary<string, IServerAction> _actions = registered.SelectMany(a => a.Names.Select(n => (n, a))).ToDictionary(x => x.n, x => x.a, StringComparer.Ordinal);

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/v2.1/servers/{id}/action", ActAsync);
    }

    private async Task ActAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var body = await NovaJson.ReadAsync(context).ConfigureAwait(false);
        var names = body.EnumerateObject().Select(p => p.Name).Take(2).ToList();
        if (names.Count != 1)
        {
            // nova's wsgi action_peek, before any lookup or policy check.
            throw CloudException.Invalid("Malformed message body: too many body keys");
        }
        var action = names[0];
        var instance = await servers.LiveAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        var ct = context.RequestAborted;
        if (_actions.TryGetValue(action, out var handler))
        {
            await handler.ActAsync(new ServerActionCall(context, ctx, instance, action, body.GetProperty(action))).ConfigureAwait(false);
            if (!context.Response.HasStarted)
            {
                NovaJson.Empty(context, StatusCodes.Status202Accepted);
            }
            return;
        }
        switch (action)
        {
            case "reboot":
                NovaSchemas.Reboot.ValidateAt(body.GetProperty(action), action);
                var hard = body.GetProperty(action).GetProperty("type").GetString()!.Equals("HARD", StringComparison.OrdinalIgnoreCase);
                await compute.RebootAsync(ctx, instance.Uuid, hard, ct).ConfigureAwait(false);
                break;
            case "os-stop":
                await compute.StopAsync(ctx, instance.Uuid, ct).ConfigureAwait(false);
                break;
            case "os-start":
                await compute.StartAsync(ctx, instance.Uuid, ct).ConfigureAwait(false);
                break;
            case "os-getConsoleOutput":
                var output = await compute.GetConsoleOutputAsync(ctx, instance.Uuid, ct).ConfigureAwait(false);
                var length = body.GetProperty(action) is { ValueKind: JsonValueKind.Object } args ? NovaJson.Integer(args, "length") : null;
                await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { output = Tail(output, length) }).ConfigureAwait(false);
                return;
            case "addSecurityGroup":
                await securityGroups.AddToInstanceAsync(ctx, instance, GroupName(body, action), ct).ConfigureAwait(false);
                break;
            case "removeSecurityGroup":
                await securityGroups.RemoveFromInstanceAsync(ctx, instance, GroupName(body, action), ct).ConfigureAwait(false);
                break;
            case "addFloatingIp":
                var add = NovaJson.Member(body, action);
                await floatingIps.AssociateAsync(ctx, FloatingAddress(add), instance.Uuid, NovaJson.String(add, "fixed_address"), ct).ConfigureAwait(false);
                break;
            case "removeFloatingIp":
                await floatingIps.DisassociateAsync(ctx, FloatingAddress(NovaJson.Member(body, action)), instance.Uuid, ct).ConfigureAwait(false);
                break;
            default:
                throw CloudException.Invalid($"There is no such action: {action}");
        }
        NovaJson.Empty(context, StatusCodes.Status202Accepted);
    }

    /// <summary>The group of add/removeSecurityGroup: <c>{"addSecurityGroup": {"name": "web"}}</c>.</summary>
    private static string GroupName(JsonElement body, string action) =>
        body.GetProperty(action) is not { ValueKind: JsonValueKind.Object } args
            ? throw CloudException.Invalid("Missing parameter dict")
            : args.TryGetProperty("name", out _) ? NovaJson.String(args, "name") ?? "" : throw CloudException.Invalid("Security group not specified");

    /// <summary>The <c>address</c> of add/removeFloatingIp, with nova's message when it is missing.</summary>
    private static string FloatingAddress(JsonElement args) =>
        NovaJson.String(args, "address") ?? throw CloudException.Invalid("Address not specified");

    /// <summary>The last <paramref name="lines"/> lines (all for null or -1).</summary>
    private static string Tail(string output, long? lines)
    {
        if (lines is null or -1)
        {
            return output;
        }
        if (lines < 0)
        {
            throw CloudException.Invalid("Invalid input for field 'length': -1 or a non-negative number of lines.");
        }
        var all = output.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - (int)Math.Min(lines.Value, all.Length))));
    }
}
