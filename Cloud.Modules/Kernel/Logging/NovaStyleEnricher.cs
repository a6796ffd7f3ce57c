using Cloud.Modules.Kernel.Flags;
using Serilog.Core;
using Serilog.Events;

namespace Cloud.Modules.Kernel.Logging;

/// <summary>
/// Adds nova's level names (DEBUG, INFO, WARNING, ERROR, CRITICAL) and <c>-</c> for events outside a request,
/// and masks passwords that slipped into a string property as part of a URL.
/// </summary>
public sealed class NovaStyleEnricher : ILogEventEnricher
{
    private static readonly LogEventProperty NoRequest = new(LogScopes.RequestIdKey, new ScalarValue("-"));

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        logEvent.AddOrUpdateProperty(propertyFactory.CreateProperty("LevelName", logEvent.Level switch
        {
            LogEventLevel.Verbose or LogEventLevel.Debug => "DEBUG",
            LogEventLevel.Information => "INFO",
            LogEventLevel.Warning => "WARNING",
            LogEventLevel.Error => "ERROR",
            _ => "CRITICAL",
        }));
        logEvent.AddPropertyIfAbsent(NoRequest);
        foreach (var (name, value) in logEvent.Properties.ToList())
        {
            if (value is ScalarValue { Value: string text } && text.Contains("://", StringComparison.Ordinal))
            {
                var masked = Secrets.MaskUrlPassword(text);
                if (!ReferenceEquals(masked, text) && masked != text)
                {
                    logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(masked)));
                }
            }
        }
    }
}
