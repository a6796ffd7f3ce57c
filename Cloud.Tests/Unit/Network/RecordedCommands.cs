using Cloud.Modules.Network.Drivers;

namespace Cloud.Tests.Unit.Network;

/// <summary>A host whose commands are recorded, not run: each answers with the first scripted reply whose prefix it starts with (else exit 0, no output).</summary>
public sealed class RecordedCommands : IHostCommands
{
    private readonly List<(string Prefix, CommandRunner.Result Result)> _replies = [];

    public List<string> Lines { get; } = [];

    /// <summary>Commands starting with <paramref name="prefix"/> exit with <paramref name="exitCode"/> and print <paramref name="stdout"/>.</summary>
    public RecordedCommands Reply(string prefix, int exitCode, string stdout = "")
    {
        _replies.Add((prefix, new CommandRunner.Result(exitCode, stdout, exitCode == 0 ? "" : "failed")));
        return this;
    }

    public async Task<string> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var result = await TryAsync(command, cancellationToken);
        return result.ExitCode == 0 ? result.Stdout : throw new InvalidOperationException($"'{string.Join(' ', command)}' failed");
    }

    public Task<CommandRunner.Result> TryAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var line = string.Join(' ', command);
        Lines.Add(line);
        return Task.FromResult(_replies.FirstOrDefault(r => line.StartsWith(r.Prefix, StringComparison.Ordinal)).Result ?? new CommandRunner.Result(0, "", ""));
    }
}
