using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Kernel.Host;

/// <summary>
/// Runs the host commands of drivers (the network's ip, iptables, dnsmasq; the volume's tgtadm, lvm tools): never through a
/// shell, always as an argument array, each prefixed with <c>--root_helper</c> (nova's root_helper: e.g. <c>sudo</c>, or
/// <c>ip netns exec NS</c> to keep every host change inside a network namespace). Every command line is logged, with its
/// secrets hidden (<see cref="CommandLineText"/>), and so is it in error messages.
/// </summary>
public sealed partial class CommandRunner(IReadOnlyList<string> rootHelper, ILogger<CommandRunner> log) : IHostCommands
{
    /// <summary>The result of a command that was allowed to fail.</summary>
    /// <param name="ExitCode">The exit code.</param>
    /// <param name="Stdout">Its standard output.</param>
    /// <param name="Stderr">Its standard error.</param>
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>The command line as it will be executed (root helper first).</summary>
    public ProcessStartInfo StartInfo(IReadOnlyList<string> command)
    {
        var full = rootHelper.Concat(command).ToList();
        var info = new ProcessStartInfo(full[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in full.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }
        return info;
    }

    /// <summary>Runs the command; throws <see cref="InvalidOperationException"/> with its stderr when it fails.</summary>
    public async Task<string> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var result = await TryAsync(command, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{Line(command)}' failed with exit code {result.ExitCode}: {result.Stderr.Trim()}");
        }
        return result.Stdout;
    }

    /// <summary>Runs the command and returns its exit code and output (for checks such as "does this chain exist").</summary>
    public async Task<Result> TryAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        LogRunning(Line(command));
        using var process = Process.Start(StartInfo(command)) ?? throw new InvalidOperationException($"could not start '{Line(command)}'");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return new Result(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>The command line for logs and messages (root helper first, secrets hidden).</summary>
    public string Line(IEnumerable<string> command) => CommandLineText.Of(rootHelper.Concat(command));

    [LoggerMessage(Level = LogLevel.Debug, Message = "running: {Command}")]
    private partial void LogRunning(string command);
}
