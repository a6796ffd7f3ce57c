using System.Text;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Support;

/// <summary>
/// What must hold after a fault experiment (issue 15): every request succeeded or failed cleanly; once the
/// reconcilers' deadline has passed no instance is left in a transitional state; each compute node's claims match
/// its live instances; and no guest runs without a live instance on its host. Read from the database and the fake
/// driver's guest files, not through the APIs, so the check does not depend on what is being checked.
/// </summary>
public sealed class FaultInvariants(FaultCloud cloud)
{
    /// <summary>
    /// How long after the load stops the cloud may take to settle: the build deadline, then a few periodic
    /// passes and a missed heartbeat or two for the reconcilers to find and finish what is left.
    /// </summary>
    public static readonly TimeSpan SettleDeadline = TimeSpan.FromSeconds(FaultFlags.InstanceBuildTimeout + 10);

    /// <summary>
    /// Waits (bounded by <see cref="SettleDeadline"/>) until the cloud's state holds, then asserts all four; the message
    /// names every invariant that fails, with numbers. <paramref name="mayBeUnreachable"/> says which requests could not
    /// even connect for a good reason (the API process was killed).
    /// </summary>
    public async Task AssertAsync(FaultLoad load, Func<FaultOutcome, bool>? mayBeUnreachable = null)
    {
        var outcomes = load.Outcomes;
        var unclean = outcomes.Where(o => !o.Clean && !(o.Problem.StartsWith(FaultOutcome.Unreachable, StringComparison.Ordinal) && (mayBeUnreachable?.Invoke(o) ?? false))).ToList();
        var failures = new List<string>();
        if (unclean.Count > 0)
        {
            failures.Add($"{unclean.Count} of {outcomes.Count} requests did not end cleanly ("
                + string.Join(", ", unclean.GroupBy(o => $"{o.Request} {Kind(o)}").Select(g => $"{g.Count()} × {g.Key}"))
                + "), e.g.:\n  " + string.Join("\n  ", unclean.Take(5)));
        }
        var state = await SettledStateAsync();
        failures.AddRange(state);
        TestContext.Out.WriteLine(Summary(outcomes, unclean.Count, state));
        failures.Should().BeEmpty($"the cloud must recover from the fault cleanly; the processes' errors begin:\n{Tail(Errors(cloud.Logs), 3000)}\n"
            + $"and their logs end:\n{Tail(cloud.Logs, 3000)}");
    }

    private async Task<IReadOnlyList<string>> SettledStateAsync()
    {
        IReadOnlyList<string> problems = [];
        var deadline = DateTime.UtcNow + SettleDeadline;
        do
        {
            problems = [.. await StuckAsync(), .. await ClaimMismatchesAsync(), .. await OrphanGuestsAsync()];
            if (problems.Count == 0)
            {
                break;
            }
            await Task.Delay(1000);
        }
        while (DateTime.UtcNow < deadline);
        return problems;
    }

    private async Task<IEnumerable<string>> StuckAsync()
    {
        var stuck = await cloud.QueryAsync<InstanceRow>(
            "SELECT uuid AS Uuid, vm_state AS VmState, task_state AS TaskState, host AS Host FROM instances WHERE deleted = 0 AND (vm_state = 'building' OR task_state IS NOT NULL)");
        return stuck.Count == 0 ? [] :
        [
            $"{stuck.Count} instances still in a transitional state {SettleDeadline.TotalSeconds:0}s after the load stopped ("
                + string.Join(", ", stuck.GroupBy(s => $"{s.VmState}/{s.TaskState ?? "-"} on {s.Host ?? "no host"}").Select(g => $"{g.Count()} {g.Key}")) + ")",
        ];
    }

    /// <summary>
    /// A node's claim is the sum of its live instances' resources; an instance in ERROR may hold its claim (as cloudd has
    /// done) or have given it back (as nova does for a failed build), so either sum is accepted.
    /// </summary>
    private async Task<IEnumerable<string>> ClaimMismatchesAsync()
    {
        var nodes = await cloud.QueryAsync<NodeRow>("SELECT host AS Host, memory_mb_used AS MemoryMbUsed, vcpus_used AS VcpusUsed FROM compute_nodes");
        var live = await cloud.QueryAsync<InstanceRow>(
            "SELECT uuid AS Uuid, host AS Host, vm_state AS VmState, memory_mb AS MemoryMb, vcpus AS Vcpus FROM instances WHERE deleted = 0 AND host IS NOT NULL");
        var problems = new List<string>();
        foreach (var node in nodes)
        {
            var all = live.Where(i => i.Host == node.Host).ToList();
            var holding = all.Where(i => i.VmState != "error").ToList();
            if ((node.MemoryMbUsed, node.VcpusUsed) != (all.Sum(i => i.MemoryMb), all.Sum(i => i.Vcpus))
                && (node.MemoryMbUsed, node.VcpusUsed) != (holding.Sum(i => i.MemoryMb), holding.Sum(i => i.Vcpus)))
            {
                problems.Add($"claims on {node.Host} are {node.MemoryMbUsed} MB / {node.VcpusUsed} vCPUs but its {all.Count} live instances "
                    + $"({all.Count - holding.Count} in ERROR) add up to {all.Sum(i => i.MemoryMb)} MB / {all.Sum(i => i.Vcpus)} vCPUs");
            }
        }
        return problems;
    }

    private async Task<IEnumerable<string>> OrphanGuestsAsync()
    {
        var problems = new List<string>();
        foreach (var host in cloud.HostNames)
        {
            var owners = (await cloud.QueryAsync<string>("SELECT uuid FROM instances WHERE deleted = 0 AND host = @Host", new { Host = host })).ToHashSet();
            var orphans = cloud.GuestUuids(host).Where(g => !owners.Contains(g)).ToList();
            if (orphans.Count > 0)
            {
                problems.Add($"{orphans.Count} guests run on {host} without a live instance there (e.g. {orphans[0]})");
            }
        }
        return problems;
    }

    private static string Kind(FaultOutcome o) => o.Problem.StartsWith(FaultOutcome.Unreachable, StringComparison.Ordinal) ? "unreachable" : o.Problem;

    private static string Summary(IReadOnlyList<FaultOutcome> outcomes, int unclean, IReadOnlyList<string> state)
    {
        var text = new StringBuilder($"fault experiment: {outcomes.Count} requests (");
        text.AppendJoin(", ", outcomes.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} × {(g.Key == 0 ? "no answer" : g.Key)}"));
        text.Append($"), {unclean} unclean, slowest {(outcomes.Count == 0 ? 0 : outcomes.Max(o => o.Seconds)):0.0}s");
        foreach (var line in state)
        {
            text.Append("\n  ").Append(line);
        }
        return text.ToString();
    }

    private sealed class InstanceRow
    {
        public string Uuid { get; set; } = "";
        public string VmState { get; set; } = "";
        public string? TaskState { get; set; }
        public string? Host { get; set; }
        public long MemoryMb { get; set; }
        public long Vcpus { get; set; }
    }

    private sealed class NodeRow
    {
        public string Host { get; set; } = "";
        public long MemoryMbUsed { get; set; }
        public long VcpusUsed { get; set; }
    }

    // The first lines of each logged error, with its exception's first line: what a 500 came from.
    private static string Errors(string logs)
    {
        var lines = logs.Split('\n');
        return string.Join('\n', lines.Select((line, i) => (line, i)).Where(l => l.line.Contains(" ERROR ", StringComparison.Ordinal))
            .SelectMany(l => lines.Skip(l.i).Take(2)).Take(40));
    }

    private static string Tail(string text, int chars) => text.Length <= chars ? text : text[^chars..];
}
