using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Cloud.Modules.Kernel.Logging;

/// <summary>
/// Writes each event to its role's file in <c>--logdir</c> (api.log, compute.log, ...). The role comes from the
/// <c>Role</c> scope, else from the namespace of the logging class; events that belong to no role (process
/// start-up, the bus connection) go to every role file of this process, as each nova daemon logged them.
/// </summary>
public sealed class RoleFileSink : ILogEventSink, IDisposable
{
    private readonly Dictionary<string, Logger> _files;
    private readonly Func<string?, string?> _roleToFile;
    private readonly Func<string?, string?> _namespaceToFile;

    /// <param name="logDir">Directory of the files.</param>
    /// <param name="fileNames">The files of the roles this process runs (without .log).</param>
    /// <param name="roleToFile">Maps a role (swift-proxy) to its file name (swift).</param>
    /// <param name="namespaceToFile">Maps a logging class's full name to its module's file name, or null.</param>
    /// <param name="formatter">Line format.</param>
    public RoleFileSink(string logDir, IEnumerable<string> fileNames, Func<string?, string?> roleToFile, Func<string?, string?> namespaceToFile, ITextFormatter formatter)
    {
        Directory.CreateDirectory(logDir);
        _files = fileNames.Distinct().ToDictionary(
            name => name,
            name => new LoggerConfiguration()
                .MinimumLevel.Verbose()
                .WriteTo.File(formatter, Path.Combine(logDir, $"{name}.log"), shared: true, flushToDiskInterval: TimeSpan.FromSeconds(1))
                .CreateLogger());
        _roleToFile = roleToFile;
        _namespaceToFile = namespaceToFile;
    }

    public void Emit(LogEvent logEvent)
    {
        var role = logEvent.Properties.TryGetValue(LogScopes.RoleKey, out var r) && r is ScalarValue { Value: string rs } ? rs : null;
        var source = logEvent.Properties.TryGetValue("SourceContext", out var c) && c is ScalarValue { Value: string cs } ? cs : null;
        var file = _roleToFile(role) ?? _namespaceToFile(source);
        if (file is not null && _files.TryGetValue(file, out var logger))
        {
            logger.Write(logEvent);
            return;
        }
        foreach (var each in _files.Values)
        {
            each.Write(logEvent);
        }
    }

    public void Dispose()
    {
        foreach (var logger in _files.Values)
        {
            logger.Dispose();
        }
    }
}
