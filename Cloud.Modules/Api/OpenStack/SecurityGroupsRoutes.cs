using System.Globalization;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// nova-network's <c>/v2.1/os-security-groups</c> and <c>/v2.1/os-security-group-rules</c>, which openstackclient uses
/// when the catalog has no network service (api-compat §3.6), and a server's groups, <c>/v2.1/servers/{id}/os-security-groups</c>.
/// Group ids are integers; any other id is a 400, as in nova.
/// </summary>
public sealed class SecurityGroupsRoutes(NovaCaller caller, SecurityGroupApi groups, ServersRoutes servers) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/os-security-groups", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var all = await groups.ListAsync(ctx, NovaCaller.AllTenants(context), context.RequestAborted).ConfigureAwait(false);
            var byId = all.ToDictionary(g => g.Id);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { security_groups = all.Select(g => Group(g, byId)) }).ConfigureAwait(false);
        });
        app.MapGet("/v2.1/os-security-groups/{id}", async context =>
        {
            var (ctx, group) = await GroupAsync(context).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { security_group = Group(group, await ByIdAsync(ctx, context).ConfigureAwait(false)) }).ConfigureAwait(false);
        });
        app.MapPost("/v2.1/os-security-groups", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var body = NovaJson.Member(await NovaJson.ReadAsync(context).ConfigureAwait(false), "security_group");
            var group = await groups.CreateAsync(ctx, NovaJson.String(body, "name") ?? "", NovaJson.String(body, "description") ?? "", context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { security_group = Group(group, new Dictionary<long, SecurityGroup>()) }).ConfigureAwait(false);
        });
        app.MapPut("/v2.1/os-security-groups/{id}", async context =>
        {
            var (ctx, group) = await GroupAsync(context).ConfigureAwait(false);
            var body = NovaJson.Member(await NovaJson.ReadAsync(context).ConfigureAwait(false), "security_group");
            var updated = await groups.UpdateAsync(ctx, Key(group.Id), GroupProperty(body, "name"), GroupProperty(body, "description"), context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { security_group = Group(updated, await ByIdAsync(ctx, context).ConfigureAwait(false)) }).ConfigureAwait(false);
        });
        app.MapDelete("/v2.1/os-security-groups/{id}", async context =>
        {
            var (ctx, group) = await GroupAsync(context).ConfigureAwait(false);
            await groups.DeleteAsync(ctx, Key(group.Id), context.RequestAborted).ConfigureAwait(false);
            NovaJson.Empty(context, StatusCodes.Status202Accepted);
        });
        app.MapGet("/v2.1/servers/{id}/os-security-groups", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var instance = await servers.LiveAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
            var ofServer = await groups.OfInstanceAsync(instance, context.RequestAborted).ConfigureAwait(false);
            var byId = await ByIdAsync(ctx, context).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { security_groups = ofServer.Select(g => Group(g, byId)) }).ConfigureAwait(false);
        });
        app.MapPost("/v2.1/os-security-group-rules", CreateRuleAsync);
        app.MapDelete("/v2.1/os-security-group-rules/{id}", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            await groups.DeleteRuleAsync(ctx, IntegerId(NovaCaller.Route(context), "Security group rule"), context.RequestAborted).ConfigureAwait(false);
            NovaJson.Empty(context, StatusCodes.Status202Accepted);
        });
    }

    private async Task CreateRuleAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var body = NovaJson.Member(await NovaJson.ReadAsync(context).ConfigureAwait(false), "security_group_rule");
        var parent = NovaJson.Integer(body, "parent_group_id") ?? throw CloudException.Invalid("Invalid input for field 'parent_group_id': a group id is required.");
        var protocol = NovaJson.String(body, "ip_protocol") ?? throw CloudException.Invalid("Invalid input for field 'ip_protocol': tcp, udp or icmp.");
        var from = NovaJson.Integer(body, "from_port") ?? throw CloudException.Invalid("Invalid input for field 'from_port'.");
        var to = NovaJson.Integer(body, "to_port") ?? throw CloudException.Invalid("Invalid input for field 'to_port'.");
        var source = NovaJson.Integer(body, "group_id");
        var cidr = NovaJson.String(body, "cidr");
        var spec = new SecurityGroupRuleSpec(protocol, from, to, source is null ? cidr : null, source is null ? null : Key(source.Value));
        SecurityGroupRule rule;
        try
        {
            rule = await groups.AddRuleAsync(ctx, Key(parent), spec, context.RequestAborted).ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.Conflict)
        {
            // nova answers a duplicate rule with 400 naming the group by id (nova/network/security_group_api.py).
            throw CloudException.Invalid($"This rule already exists in group {parent}");
        }
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { security_group_rule = Rule(rule, await ByIdAsync(ctx, context).ConfigureAwait(false)) }).ConfigureAwait(false);
    }

    private async Task<(RequestContext Context, SecurityGroup Group)> GroupAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var id = IntegerId(NovaCaller.Route(context), "Security group");
        var group = await groups.GetAsync(ctx, Key(id), context.RequestAborted).ConfigureAwait(false);
        return group.Id == id ? (ctx, group) : throw CloudException.NotFound($"Security group {id} not found.");
    }

    private async Task<IReadOnlyDictionary<long, SecurityGroup>> ByIdAsync(RequestContext ctx, HttpContext context) =>
        (await groups.ListAsync(ctx, ctx.IsAdmin, context.RequestAborted).ConfigureAwait(false)).ToDictionary(g => g.Id);

    /// <summary>nova's <c>validate_property</c>: a string, not blank once trimmed, at most 255 characters.</summary>
    private static string GroupProperty(System.Text.Json.JsonElement body, string property)
    {
        var value = body.TryGetProperty(property, out var element) && element.ValueKind == System.Text.Json.JsonValueKind.String
            ? element.GetString()!.Trim()
            : throw CloudException.Invalid($"Security group {property} is not a string or unicode");
        return value.Length == 0 ? throw CloudException.Invalid($"Security group {property} should not be empty.")
            : value.Length > 255 ? throw CloudException.Invalid($"Security group {property} should not be greater than 255 characters.")
            : value;
    }

    private static long IntegerId(string id, string what) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number
            : throw CloudException.Invalid($"{what} id should be integer");

    private static string Key(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static object Group(SecurityGroup group, IReadOnlyDictionary<long, SecurityGroup> byId) => new
    {
        id = group.Id,
        name = group.Name,
        description = group.Description,
        tenant_id = group.ProjectId,
        rules = group.Rules.Select(r => Rule(r, byId)),
    };

    private static object Rule(SecurityGroupRule rule, IReadOnlyDictionary<long, SecurityGroup> byId) => new
    {
        id = rule.Id,
        parent_group_id = rule.ParentGroupId,
        ip_protocol = rule.Protocol,
        from_port = rule.FromPort,
        to_port = rule.ToPort,
        ip_range = rule.Cidr is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["cidr"] = rule.Cidr },
        group = rule.GroupId is { } source && byId.TryGetValue(source, out var g)
            ? new Dictionary<string, string> { ["name"] = g.Name, ["tenant_id"] = g.ProjectId }
            : new Dictionary<string, string>(),
    };
}
