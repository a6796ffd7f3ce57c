using System.Diagnostics;

namespace Cloud.Modules.Compute.Firewall;

/// <summary>
/// Runs the firewall's host commands as an argument array (never a shell), each prefixed with <c>--root_helper</c> like
/// Network's host commands (e.g. <c>sudo</c>, or <c>ip netns exec NS</c>). Unlike those, iptables-restore reads its
/// script from standard input, hence this runner of its own.
/// </summary>
public sealed class FirewallCommands(IReadOnlyList<string> rootHelper) : IFirewallCommands
{
    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyList<string> command, string? stdin, CancellationToken cancellationToken)
    {
        var full = rootHelper.Concat(command).ToList();
        var start = new ProcessStartInfo(full[0])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in full.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {full[0]}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken).ConfigureAwait(false);
        }
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }
}
