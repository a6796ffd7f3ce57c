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
            using var pidFile = Daemon.WritePidFileIfDetached(flags);
            // Every role's listeners and consumers are up: what an operator (and the README's quick start) waits for.
            var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
            using var ready = lifetime.ApplicationStarted.Register(() => LogReady(log, string.Join(',', roles.Select(r => r.Role))));
            try
            {
                await host.RunAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested || ct.IsCancellationRequested)
            {
                // SIGTERM or Ctrl-C while the roles were still starting (a network role rebuilding its host, say): the
                // start is abandoned, what started is disposed, and a stop that was asked for is not a failure.
                LogStoppedWhileStarting(log);
                return 0;
            }
            catch (FlagException e)
            {
                LogCannotStart(log, e.Message);
                throw;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(log, e);
                throw;
            }
            return 0;
        }));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "cloudd starting roles {Roles} on host {Host} (pid {Pid})")]
    private static partial void LogStarting(ILogger log, string roles, string host, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "cloudd stopped before its roles had started")]
    private static partial void LogStoppedWhileStarting(ILogger log);

    [LoggerMessage(Level = LogLevel.Information, Message = "cloudd ready: roles {Roles} started")]
    private static partial void LogReady(ILogger log, string roles);

    [LoggerMessage(Level = LogLevel.Critical, Message = "failed")]
    private static partial void LogFailed(ILogger log, Exception error);

    [LoggerMessage(Level = LogLevel.Critical, Message = "cannot start: {Reason}")]
    private static partial void LogCannotStart(ILogger log, string reason);
}
