using Cloud.Modules.Identity;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// nova's <c>/v2.1/os-quota-sets/{project}</c> and its <c>/defaults</c> (read only): the compute half of what
/// <c>openstack quota show</c> prints beside the Block Storage API's quota set. A member sees only their own project's.
/// </summary>
public sealed class NovaQuotaSetsRoutes(NovaCaller caller, IdentityApi identity, IOptions<QuotaFlags> defaults) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/os-quota-sets/{id}", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var project = NovaCaller.Route(context);
            Policy.RequireProject(ctx, project);
            await WriteAsync(context, project, await identity.QuotasOfProjectAsync(project, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
        });
        app.MapGet("/v2.1/os-quota-sets/{id}/defaults", async context =>
        {
            await caller.ContextAsync(context).ConfigureAwait(false);
            await WriteAsync(context, NovaCaller.Route(context), defaults.Value.ByResource()).ConfigureAwait(false);
        });
    }

    private static Task WriteAsync(HttpContext context, string project, IReadOnlyDictionary<string, long> quotas)
    {
        long Quota(string name) => quotas.TryGetValue(name, out var value) ? value : -1;
        return NovaJson.WriteAsync(context, StatusCodes.Status200OK, new
        {
            quota_set = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["id"] = project,
                ["instances"] = Quota("instances"),
                ["cores"] = Quota("cores"),
                ["ram"] = Quota("ram"),
                ["floating_ips"] = Quota("floating_ips"),
                ["fixed_ips"] = -1,
                ["metadata_items"] = 128,
                ["injected_files"] = 0,
                ["injected_file_content_bytes"] = 0,
                ["injected_file_path_bytes"] = 0,
                ["key_pairs"] = Quota("key_pairs"),
                ["security_groups"] = Quota("security_groups"),
                ["security_group_rules"] = -1,
                ["server_groups"] = 0,
                ["server_group_members"] = 0,
            },
        });
    }
}
