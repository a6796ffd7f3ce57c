using Cloud.Modules.Identity;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>Who calls the OpenStack Compute API: the identity module's token in <c>X-Auth-Token</c> (401 without one).</summary>
public sealed class NovaCaller(AuthenticationApi authenticator)
{
    /// <summary>
    /// The caller, under the request id this request answers in <c>x-compute-request-id</c> (instance actions record it); a
    /// caller who is only a reader in the project is refused every change with Nova's policy message.
    /// </summary>
    public async Task<RequestContext> ContextAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(context.Request.Headers["X-Auth-Token"]))
        {
            // keystonemiddleware's words in front of nova.
            throw CloudException.Unauthorized("The request you have made requires authentication.");
        }
        var caller = await authenticator.FromHttpAsync(context).ConfigureAwait(false) with { RequestId = NovaVersions.RequestId(context) };
        Personas.RequireWriter(caller, context.Request.Method,
            () => NovaPolicy.Refusal(Personas.Rule(context.Request.Path, context.Request.Method)));
        return caller;
    }

    /// <summary>The route value <paramref name="name"/> of the request.</summary>
    public static string Route(HttpContext context, string name = "id")
    {
        ArgumentNullException.ThrowIfNull(context);
        return (string)context.Request.RouteValues[name]!;
    }

    /// <summary><c>all_tenants</c> as nova reads it: present and not false/0.</summary>
    public static bool AllTenants(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.Query.TryGetValue("all_tenants", out var value)
            && value.ToString().ToLowerInvariant() is not ("0" or "false" or "f" or "no" or "off");
    }
}
