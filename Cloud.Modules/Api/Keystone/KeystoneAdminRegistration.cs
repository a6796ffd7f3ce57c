using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Modules.Api.Keystone;

/// <summary>Registers Keystone's administration routes (domains, projects, users, groups, roles, grants, role assignments).</summary>
public static class KeystoneAdminRegistration
{
    public static IServiceCollection AddKeystoneAdmin(this IServiceCollection services)
    {
        services.AddSingleton<KeystoneCaller>();
        services.AddSingleton<IKeystoneRoutes, KeystoneDomainsRoutes>();
        services.AddSingleton<IKeystoneRoutes, KeystoneProjectsRoutes>();
        services.AddSingleton<IKeystoneRoutes, KeystoneUsersRoutes>();
        services.AddSingleton<IKeystoneRoutes, KeystoneGroupsRoutes>();
        services.AddSingleton<IKeystoneRoutes, KeystoneRolesRoutes>();
        services.AddSingleton<IKeystoneRoutes, KeystoneGrantsRoutes>();
        services.AddSingleton<IKeystoneRoutes, KeystoneRoleAssignmentsRoutes>();
        return services;
    }
}
