using Cloud.Modules.Network.Drivers;

namespace Cloud.Tests.Unit.Network;

/// <summary>
/// A recorded-command seam for network drivers: records every command line and answers from canned results (by
/// command line, each used once in the order given, the last one kept; unknown commands succeed with no output), so a
/// test states what the host looks like and which changes follow.
/// </summary>
internal sealed class RecordedCommands
{
    private readonly Dictionary<string, Queue<CommandRunner.Result>> _answers = new(StringComparer.Ordinal);

    public List<string> Lines { get; } = [];

    /// <summary>The lines that change the host (not the listings and checks).</summary>
    public IEnumerable<string> Changes => Lines.Where(l => !l.Contains(" -S ", StringComparison.Ordinal) && !l.Contains(" -C ", StringComparison.Ordinal) && !l.StartsWith("ip -o ", StringComparison.Ordinal));

    public RecordedCommands Answer(string line, string stdout, int exitCode = 0)
    {
        if (!_answers.TryGetValue(line, out var queue))
        {
            _answers[line] = queue = new Queue<CommandRunner.Result>();
        }
        queue.Enqueue(new CommandRunner.Result(exitCode, stdout, exitCode == 0 ? "" : "failed"));
        return this;
    }

    public Task<CommandRunner.Result> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var line = string.Join(' ', command);
        Lines.Add(line);
        if (!_answers.TryGetValue(line, out var queue) || queue.Count == 0)
        {
            return Task.FromResult(new CommandRunner.Result(0, "", ""));
        }
        return Task.FromResult(queue.Count > 1 ? queue.Dequeue() : queue.Peek());
    }
}
