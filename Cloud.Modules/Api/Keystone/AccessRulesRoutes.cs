using Cloud.Modules.Identity.ApplicationCredentials;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary><c>/v3/users/{user_id}/access_rules</c>: the user's access rules (filters service, path, method), show, delete when unused.</summary>
public sealed class AccessRulesRoutes(KeystoneCaller callers, ApplicationCredentialsApi credentials) : IKeystoneRoutes
{
    private const string Collection = "/v3/users/{userId}/access_rules";

    public void Map(WebApplication app)
    {
        app.MapGet(Collection, ListAsync);
        app.MapGet(Collection + "/{id}", ShowAsync);
        app.MapDelete(Collection + "/{id}", DeleteAsync);
    }

    private async Task ListAsync(HttpContext context)
    {
        var caller = await callers.OfAsync(context).ConfigureAwait(false);
        var userId = KeystoneRoute.Value(context, "userId");
        var query = context.Request.Query;
        var rules = (await credentials.ListAccessRulesAsync(caller, userId, context.RequestAborted).ConfigureAwait(false))
            .Where(r => Matches(query, "service", r.Service) && Matches(query, "path", r.Path) && Matches(query, "method", r.Method));
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new
        {
            access_rules = rules.Select(r => ApplicationCredentialView.AccessRule(context, userId, r)),
            links = ApplicationCredentialView.Links(context),
        }).ConfigureAwait(false);
    }

    private async Task ShowAsync(HttpContext context)
    {
        var caller = await callers.OfAsync(context).ConfigureAwait(false);
        var userId = KeystoneRoute.Value(context, "userId");
        var rule = await credentials.GetAccessRuleAsync(caller, userId, KeystoneRoute.Value(context, "id"), context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new { access_rule = ApplicationCredentialView.AccessRule(context, userId, rule) }).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var caller = await callers.OfAsync(context).ConfigureAwait(false);
        await credentials.DeleteAccessRuleAsync(caller, KeystoneRoute.Value(context, "userId"), KeystoneRoute.Value(context, "id"), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static bool Matches(IQueryCollection query, string name, string value) =>
        query[name] is not { Count: > 0 } wanted || wanted.ToString() == value;
}
