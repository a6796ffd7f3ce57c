namespace Cloud.Modules.Kernel.Host;

/// <summary>The seam between a driver and the host's commands: <see cref="CommandRunner"/> runs them, tests record them.</summary>
public interface IHostCommands
{
    /// <summary>Runs the command; throws <see cref="InvalidOperationException"/> with its stderr when it fails.</summary>
    Task<string> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken);

    /// <summary>Runs the command and returns its exit code and output, for checks.</summary>
    Task<CommandRunner.Result> TryAsync(IReadOnlyList<string> command, CancellationToken cancellationToken);
}
