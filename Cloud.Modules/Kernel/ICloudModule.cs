using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Modules.Kernel;

/// <summary>
/// A module of cloudd. <see cref="AddClient"/> always runs, so any host can use the module's <c>XxxApi</c>;
/// <see cref="AddRole"/> runs only when <c>--roles</c> names <see cref="Role"/>.
/// </summary>
public interface ICloudModule
{
    /// <summary>The role name used by <c>--roles</c>, the service's topic and its binary (<c>cloudd-&lt;role&gt;</c>).</summary>
    string Role { get; }

    /// <summary>
    /// False for a module that only serves other roles (identity is served by the api role): it cannot be named
    /// in <c>--roles</c> and its <see cref="AddRole"/> never runs. Default: true.
    /// </summary>
    bool IsRole => true;

    /// <summary>The log file (without .log) this role writes in <c>--logdir</c>. Default: the role.</summary>
    string LogName => Role;

    /// <summary>The module's flags classes; every flag is known to the parser whatever roles run.</summary>
    IReadOnlyList<Type> FlagTypes { get; }

    void AddClient(IServiceCollection services, IConfiguration flags);

    void AddRole(IServiceCollection services, IConfiguration flags);
}
