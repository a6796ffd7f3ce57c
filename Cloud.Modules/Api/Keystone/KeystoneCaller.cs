using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary>The caller of a Keystone request: the payload of its <c>X-Auth-Token</c>, or 401.</summary>
public static class KeystoneCaller
{
    public static async Task<TokenPayload> ValidateAsync(TokenApi tokens, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(context);
        var token = context.Request.Headers["X-Auth-Token"].ToString();
        if (token.Length == 0)
        {
            throw CloudException.Unauthorized("The request you have made requires authentication (X-Auth-Token).");
        }
        return await tokens.ValidateAsync(token, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A route value the route template guarantees.</summary>
    public static string Route(HttpContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        return (string)context.Request.RouteValues[name]!;
    }
}
