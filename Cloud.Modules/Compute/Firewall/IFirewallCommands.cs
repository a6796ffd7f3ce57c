namespace Cloud.Modules.Compute.Firewall;

/// <summary>
/// The host commands of <see cref="IptablesFirewallDriver"/> (iptables, iptables-save, iptables-restore, sysctl): the seam
/// unit tests record; <see cref="FirewallCommands"/> runs them.
/// </summary>
public interface IFirewallCommands
{
    /// <summary>Runs <paramref name="command"/> with <paramref name="stdin"/> (if any) on its standard input.</summary>
    /// <returns>The exit code and standard output; a non-zero exit is the caller's to judge.</returns>
    Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyList<string> command, string? stdin, CancellationToken cancellationToken);
}
