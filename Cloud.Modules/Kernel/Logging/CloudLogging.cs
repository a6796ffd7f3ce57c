using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace Cloud.Modules.Kernel.Logging;

/// <summary>Builds the process's Serilog logger from the common flags (logdir, verbose, log_format).</summary>
public static class CloudLogging
{
    /// <summary>nova's line: time, level, logger, [request id], message.</summary>
    public const string TextTemplate =
        "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} {LevelName} {SourceContext} [{RequestId}] {Message:lj}{NewLine}{Exception}";

    private const string ConsoleTemplate =
        "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} {LevelName} {Role} {SourceContext} [{RequestId}] {Message:lj}{NewLine}{Exception}";

    /// <param name="flags">The common flags.</param>
    /// <param name="roleFiles">Log file name of each role this process runs, keyed by role.</param>
    /// <param name="namespaceToFile">Maps a logging class to its module's log file name, or null.</param>
    public static Logger Create(CommonFlags flags, IReadOnlyDictionary<string, string> roleFiles, Func<string?, string?> namespaceToFile)
    {
        var json = string.Equals(flags.LogFormat, "json", StringComparison.OrdinalIgnoreCase);
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(flags.Verbose ? LogEventLevel.Debug : LogEventLevel.Information)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", flags.Verbose ? LogEventLevel.Information : LogEventLevel.Warning)
            // Its "Hosting failed to start" repeats, with a stack trace, a failure the run command reports itself:
            // in one line for an operator's mistake (a port in use), with the trace for a bug.
            .MinimumLevel.Override("Microsoft.Extensions.Hosting.Internal.Host", LogEventLevel.Fatal)
            .Enrich.FromLogContext()
            .Enrich.With<NovaStyleEnricher>()
            .Enrich.WithProperty(LogScopes.RoleKey, "cloudd");
        if (string.IsNullOrEmpty(flags.LogDir))
        {
            ITextFormatter console = json ? new CompactJsonFormatter() : new MessageTemplateTextFormatter(ConsoleTemplate);
            config.WriteTo.Console(console, standardErrorFromLevel: LogEventLevel.Verbose);
        }
        else
        {
            ITextFormatter file = json ? new CompactJsonFormatter() : new MessageTemplateTextFormatter(TextTemplate);
            config.WriteTo.Sink(new RoleFileSink(
                flags.LogDir,
                roleFiles.Values,
                role => role is not null && roleFiles.TryGetValue(role, out var f) ? f : null,
                namespaceToFile,
                file));
        }
        return config.CreateLogger();
    }
}
