using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Logging;

namespace Cloud.Host;

/// <summary>Logs the flags in effect at start-up (debug level, secrets masked), as nova did with --verbose.</summary>
public static partial class FlagLogger
{
    public static void Log(ILogger log, FlagValues flags)
    {
        foreach (var flag in flags.Registry.All)
        {
            var origin = flags.Settings.TryGetValue(flag.Name, out var s) ? s.Origin : "default";
            LogFlag(log, flag.Name, flag.Display(flags[flag.Name]), origin);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "flag --{Name}={Value} ({Origin})")]
    private static partial void LogFlag(ILogger log, string name, string value, string origin);
}
