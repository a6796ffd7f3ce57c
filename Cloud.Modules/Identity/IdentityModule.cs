using Cloud.Modules.Identity.Db;
using Cloud.Modules.Identity.Ec2;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Modules.Identity;

/// <summary>
/// Identity: domains, users, groups, projects, roles and their assignments, quotas, tokens and EC2 credentials. Not a role of its own: the api role
/// serves its Keystone endpoint and every role authenticates through <see cref="TokenApi"/>.
/// Flags: <see cref="IdentityFlags"/>, <see cref="QuotaFlags"/>.
/// </summary>
public sealed class IdentityModule : ICloudModule
{
    public string Role => "identity";

    public bool IsRole => false;

    public string LogName => "api";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(IdentityFlags), typeof(QuotaFlags)];

    public void AddClient(IServiceCollection services, IConfiguration flags)
    {
        services.AddOptions<IdentityFlags>().Bind(flags);
        services.AddOptions<QuotaFlags>().Bind(flags);
        services.AddSingleton<IdentityStore>();
        services.AddSingleton<IdentityApi>();
        services.AddSingleton<AssignmentStore>();
        services.AddSingleton<DirectoryStore>();
        services.AddSingleton<RoleApi>();
        services.AddSingleton<AssignmentApi>();
        services.AddSingleton<DomainApi>();
        services.AddSingleton<UserApi>();
        services.AddSingleton<ProjectApi>();
        services.AddSingleton<GroupApi>();
        services.AddSingleton<TokenRevocations>();
        services.AddSingleton<TokenSigner>();
        services.AddSingleton<VerifiedPasswords>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<TokenApi>();
        services.AddSingleton<AuthenticationApi>();
        services.AddSingleton(sp => new Ec2SignatureVerifier(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<CredentialsApi>();
    }

    public void AddRole(IServiceCollection services, IConfiguration flags)
    {
    }
}
