using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cloud.Tests.Support;

/// <summary>A logger that keeps every entry, for tests that check what was logged and how.</summary>
public sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyCollection<Entry> Entries => _entries;

    public bool Has(LogLevel level, string message) => _entries.Any(e => e.Level == level && e.Message == message);

    public int Count(LogLevel level, string message) => _entries.Count(e => e.Level == level && e.Message == message);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        // [LoggerMessage] state is a list of its placeholders' values plus {OriginalFormat}.
        var properties = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
        _entries.Enqueue(new Entry(logLevel, formatter(state, exception), properties.ToDictionary(p => p.Key, p => p.Value), exception));
    }

    public override string ToString() => string.Join('\n', _entries.Select(e => $"{e.Level}: {e.Message}"));

    /// <summary>One logged event: its level, rendered text, structured properties and exception.</summary>
    public sealed record Entry(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Properties, Exception? Exception);
}
