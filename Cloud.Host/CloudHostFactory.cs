using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Flags;
using Cloud.Modules.Kernel.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace Cloud.Host;

/// <summary>
/// Builds the process: flags as configuration, logging, the kernel, every module's client side, and the
/// role side of the modules named by <c>--roles</c>. Operator commands use it with no roles.
/// </summary>
public static class CloudHostFactory
{
    public static IHost Build(FlagValues flags, IReadOnlyList<ICloudModule> roles, Action<IServiceCollection>? extra = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(flags.Effective);
        IConfiguration configuration = builder.Configuration;

        // The kernel's flags, those of modules served by every role (identity), and those of the roles to run.
        FlagValidation.Run(configuration, CloudKernel.FlagTypes
            .Concat(ModuleCatalog.All.Where(m => !m.IsRole).Concat(roles).SelectMany(m => m.FlagTypes)));
        var common = configuration.Get<CommonFlags>() ?? new CommonFlags();
        // Operator commands run no role; like nova-manage they log to their own file.
        var roleFiles = roles.Count == 0
            ? new Dictionary<string, string>(StringComparer.Ordinal) { ["manage"] = "manage" }
            : roles.ToDictionary(m => m.Role, m => m.LogName, StringComparer.Ordinal);
        var logger = CloudLogging.Create(common, roleFiles, source => LogFileOf(source, roles));
        builder.Services.AddSerilog(logger, dispose: true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton(flags);

        builder.Services.AddCloudKernel(configuration);
        foreach (var module in ModuleCatalog.All)
        {
            module.AddClient(builder.Services, configuration);
        }
        foreach (var module in roles)
        {
            module.AddRole(builder.Services, configuration);
        }
        extra?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>A class in a module's namespace logs to that module's file.</summary>
    private static string? LogFileOf(string? sourceContext, IReadOnlyList<ICloudModule> roles) =>
        sourceContext is null
            ? null
            : roles.FirstOrDefault(m => sourceContext.StartsWith(m.GetType().Namespace + ".", StringComparison.Ordinal))?.LogName;
}
