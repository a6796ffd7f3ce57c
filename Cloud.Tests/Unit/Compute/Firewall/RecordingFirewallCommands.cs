using Cloud.Modules.Compute.Firewall;

namespace Cloud.Tests.Unit.Compute.Firewall;

/// <summary>Records the firewall's host commands (with their standard input) and answers them as a host with <see cref="Save"/> as its filter table would.</summary>
internal sealed class RecordingFirewallCommands : IFirewallCommands
{
    public List<(string Command, string? Stdin)> Commands { get; } = [];

    /// <summary>What <c>iptables-save -t filter</c> prints.</summary>
    public string Save { get; set; } = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";

    /// <summary>Whether <c>-S cloudd-FORWARD</c> and <c>-C FORWARD -j cloudd-FORWARD</c> find what they look for.</summary>
    public bool BaseExists { get; set; }

    public IEnumerable<string> Restores => Commands.Where(c => c.Command.StartsWith("iptables-restore", StringComparison.Ordinal)).Select(c => c.Stdin!);

    public Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyList<string> command, string? stdin, CancellationToken cancellationToken)
    {
        var line = string.Join(' ', command);
        Commands.Add((line, stdin));
        var exit = line.Contains(" -S ", StringComparison.Ordinal) || line.Contains(" -C ", StringComparison.Ordinal) ? (BaseExists ? 0 : 1) : 0;
        return Task.FromResult((exit, line.StartsWith("iptables-save", StringComparison.Ordinal) ? Save : "", ""));
    }
}
