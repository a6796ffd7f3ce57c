using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary>Reads a Keystone route's values.</summary>
public static class KeystoneRoute
{
    /// <summary>A route value its route template guarantees, e.g. <c>userId</c> of <c>/v3/users/{userId}/...</c>.</summary>
    public static string Value(HttpContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        return (string)context.Request.RouteValues[name]!;
    }
}
