using Cloud.Modules.Kernel.Host;

namespace Cloud.Tests.Support;

/// <summary>
/// A recorded-command seam for drivers that run host commands: a host whose commands are recorded, not run, so a test states what
/// the host looks like and which changes follow. A command answers with its exact-line answers (<see cref="Answer"/>:
/// each used once in the order given, the last one kept), else with the first scripted reply whose prefix it starts
/// with (<see cref="Reply"/>), else it succeeds with no output.
/// </summary>
public sealed class RecordedCommands : IHostCommands
{
    private readonly Dictionary<string, Queue<CommandRunner.Result>> _answers = new(StringComparer.Ordinal);
    private readonly List<(string Prefix, CommandRunner.Result Result)> _replies = [];

    public List<string> Lines { get; } = [];

    /// <summary>The lines that change the host (not the listings and checks).</summary>
    public IEnumerable<string> Changes => Lines.Where(l => !l.Contains(" -S ", StringComparison.Ordinal) && !l.Contains(" -C ", StringComparison.Ordinal) && !l.StartsWith("ip -o ", StringComparison.Ordinal));

    /// <summary>The command line <paramref name="line"/> prints <paramref name="stdout"/> and exits with <paramref name="exitCode"/> (queued per line).</summary>
    public RecordedCommands Answer(string line, string stdout, int exitCode = 0)
    {
        if (!_answers.TryGetValue(line, out var queue))
        {
            _answers[line] = queue = new Queue<CommandRunner.Result>();
        }
        queue.Enqueue(Result(exitCode, stdout));
        return this;
    }

    /// <summary>Commands starting with <paramref name="prefix"/> exit with <paramref name="exitCode"/> and print <paramref name="stdout"/>.</summary>
    public RecordedCommands Reply(string prefix, int exitCode, string stdout = "")
    {
        _replies.Add((prefix, Result(exitCode, stdout)));
        return this;
    }

    public async Task<string> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var result = await TryAsync(command, cancellationToken);
        return result.ExitCode == 0 ? result.Stdout : throw new InvalidOperationException($"'{CommandLineText.Of(command)}' failed");
    }

    public Task<CommandRunner.Result> TryAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var line = string.Join(' ', command);
        Lines.Add(line);
        if (_answers.TryGetValue(line, out var queue) && queue.Count > 0)
        {
            return Task.FromResult(queue.Count > 1 ? queue.Dequeue() : queue.Peek());
        }
        return Task.FromResult(_replies.FirstOrDefault(r => line.StartsWith(r.Prefix, StringComparison.Ordinal)).Result ?? new CommandRunner.Result(0, "", ""));
    }

    private static CommandRunner.Result Result(int exitCode, string stdout) => new(exitCode, stdout, exitCode == 0 ? "" : "failed");
}
