using System.CommandLine;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Db;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Host.Commands;

/// <summary><c>cloudd --roles=api,scheduler [--flagfile=FILE] [--flag=value ...]</c>: runs roles until stopped.</summary>
public static partial class RunCommand
{
    private static readonly Option<string> Roles = new("--roles")
    {
        Description = $"Roles to run, comma-separated: {string.Join(", ", ModuleCatalog.All.Where(m => m.IsRole).Select(m => m.Role))}, or all",
    };

    public static void Configure(RootCommand root)
    {
        root.Options.Add(Roles);
        root.SetAction((parse, ct) => CloudCommand.GuardAsync(async () =>
        {
            var roles = RoleSelection.Parse(parse.GetValue(Roles), ModuleCatalog.All);
            var flags = CloudCommand.Flags(parse);
            if (Daemon.ShouldDetach(flags))
            {
                return Daemon.Detach(flags);
            }
            using var host = CloudHostFactory.Build(flags, roles);
            var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("cloudd");
            var common = host.Services.GetRequiredService<IOptions<CommonFlags>>().Value;
            LogStarting(log, string.Join(',', roles.Select(r => r.Role)), common.Host, Environment.ProcessId);
            FlagLogger.Log(log, flags);
            try
            {
                await host.Services.GetRequiredService<MigrationRunner>().EnsureCurrentAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SchemaOutOfDateException or DatabaseUnavailableException)
            {
                LogCannotStart(log, e.Message);
                throw;
            }
            // Build the roles' servers and daemons here, so a flag a role refuses (FlagException) is the one line
            // GuardAsync prints, not the generic host's "Hosting failed to start" with a stack trace. They are
            // singletons: the host starts these same instances.
            _ = host.Services.GetServices<IHostedService>().ToList();
            using var pidFile = Daemon.WritePidFileIfDetached(flags);
            await host.RunAsync(ct).ConfigureAwait(false);
            return 0;
        }));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "cloudd starting roles {Roles} on host {Host} (pid {Pid})")]
    private static partial void LogStarting(ILogger log, string roles, string host, int pid);

    [LoggerMessage(Level = LogLevel.Critical, Message = "cannot start: {Reason}")]
    private static partial void LogCannotStart(ILogger log, string reason);
}
