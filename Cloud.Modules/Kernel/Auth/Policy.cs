namespace Cloud.Modules.Kernel.Auth;

/// <summary>
/// The authorisation rules every API applies in one place: admins may act on any project, members only on
/// their own. Refusals are <see cref="CloudException"/>s (403) so each API reports them in its own shape.
/// </summary>
public static class Policy
{
    public static void RequireAuthenticated(RequestContext context)
    {
        if (context.UserId is null)
        {
            throw CloudException.Unauthorized("The request you have made requires authentication.");
        }
    }

    public static void RequireAdmin(RequestContext context) => RequireAdmin(context, "This action needs the admin role.");

    /// <summary>403 with <paramref name="refusal"/> (the API's own policy message) unless the caller is an admin.</summary>
    public static void RequireAdmin(RequestContext context, string refusal)
    {
        RequireAuthenticated(context);
        if (!context.IsAdmin)
        {
            throw CloudException.Forbidden(refusal);
        }
    }

    /// <summary>The caller works in <paramref name="projectId"/>, or is an admin.</summary>
    public static void RequireProject(RequestContext context, string projectId)
    {
        RequireAuthenticated(context);
        if (!context.IsAdmin && context.ProjectId != projectId)
        {
            throw CloudException.Forbidden($"Project {context.ProjectId ?? "(none)"} may not act on project {projectId}.");
        }
    }

    /// <summary>The caller's project, for actions that create things in it; an unscoped caller cannot create.</summary>
    public static string RequireScoped(RequestContext context)
    {
        RequireAuthenticated(context);
        return context.ProjectId ?? throw CloudException.Unauthorized("This action needs a token scoped to a project.");
    }
}
