using Cloud.Modules.Identity;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Cinder;

/// <summary>
/// Who calls the Block Storage API: the identity module's token in <c>X-Auth-Token</c> (401 without one), for the project
/// the URL names (<c>/v3/{project_id}/…</c>). As in Cinder, a URL naming another project than the token's is a 400
/// "Malformed request url", whoever asks: a token acts only in its own project's URL.
/// </summary>
public sealed class CinderCaller(AuthenticationApi authenticator)
{
    public async Task<RequestContext> ContextAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = await authenticator.FromHttpAsync(context).ConfigureAwait(false);
        var project = Route(context, "project_id");
        if (caller.ProjectId != project)
        {
            throw CloudException.Invalid("Malformed request url");
        }
        Personas.RequireWriter(caller, context.Request.Method,
            () => $"Policy doesn't allow {Personas.Rule(context.Request.Path, context.Request.Method).Replace("volumes:", "volume:", StringComparison.Ordinal)} to be performed.");
        return caller;
    }

    /// <summary>The route value <paramref name="name"/> of the request.</summary>
    public static string Route(HttpContext context, string name = "id")
    {
        ArgumentNullException.ThrowIfNull(context);
        return (string)context.Request.RouteValues[name]!;
    }

    /// <summary>Cinder's boolean query parameters (<c>all_tenants</c>, <c>usage</c>): 1/true/yes/on; anything else not.</summary>
    public static bool Flag(HttpContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.Query.TryGetValue(name, out var value)
            && value.ToString().ToLowerInvariant() is "" or "1" or "true" or "t" or "yes" or "y" or "on";
    }
}
