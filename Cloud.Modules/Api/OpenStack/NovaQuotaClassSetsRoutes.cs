using Cloud.Modules.Identity;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// nova's <c>/v2.1/os-quota-class-sets/{class}</c> (admin only): show and update a quota class. The <c>default</c> class
/// is what every project without its own value gets (and what <c>os-quota-sets/{id}/defaults</c> reports).
/// </summary>
public sealed class NovaQuotaClassSetsRoutes(NovaCaller caller, IdentityApi identity) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/os-quota-class-sets/{id}", async context =>
        {
            NovaPolicy.RequireAdmin(await caller.ContextAsync(context).ConfigureAwait(false), "os-quota-class-sets:show");
            var name = NovaCaller.Route(context);
            var limits = await identity.QuotaClassAsync(name, context.RequestAborted).ConfigureAwait(false);
            await WriteAsync(context, name, limits).ConfigureAwait(false);
        });
        app.MapPut("/v2.1/os-quota-class-sets/{id}", async context =>
        {
            NovaPolicy.RequireAdmin(await caller.ContextAsync(context).ConfigureAwait(false), "os-quota-class-sets:update");
            var name = NovaCaller.Route(context);
            if (name.Length > 255)
            {
                throw CloudException.Invalid("quota_class_name has more than 255 characters.");
            }
            var body = await NovaJson.ReadAsync(context).ConfigureAwait(false);
            var (limits, _) = NovaQuotaResources.ParseUpdate(body, "quota_class_set", NovaQuotaResources.OfQuotaClasses(NovaVersions.Of(context)));
            limits.Remove("fixed_ips");
            await identity.SetQuotaClassAsync(name, limits, context.RequestAborted).ConfigureAwait(false);
            await WriteAsync(context, null, await identity.QuotaClassAsync(name, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
        });
    }

    private static Task WriteAsync(HttpContext context, string? name, IReadOnlyDictionary<string, long> limits) =>
        NovaJson.WriteAsync(context, StatusCodes.Status200OK, new
        {
            quota_class_set = NovaQuotaResources.Format(name, NovaQuotaResources.OfQuotaClasses(NovaVersions.Of(context)), r => NovaQuotaResources.Limit(limits, r)),
        });
}
