using Cloud.Modules.Kernel.Host;

namespace Cloud.Tests.Support;

/// <summary>A real host whose commands are also written down (secrets hidden), for tests that check what a driver ran.</summary>
public sealed class ObservedCommands(IHostCommands host) : IHostCommands
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public Task<string> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        Note(command);
        return host.RunAsync(command, cancellationToken);
    }

    public Task<CommandRunner.Result> TryAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        Note(command);
        return host.TryAsync(command, cancellationToken);
    }

    private void Note(IReadOnlyList<string> command)
    {
        lock (_lines)
        {
            _lines.Add(CommandLineText.Of(command));
        }
    }
}
