using System.CommandLine;

namespace Cloud.Host.Commands;

/// <summary><c>cloudd bench ...</c>: benchmarks that print figures (never pass/fail).</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks: print figures of this build on this machine.");
        bench.Subcommands.Add(BenchBusCommand.Create());
        bench.Subcommands.Add(BenchStartupCommand.Create());
        bench.Subcommands.Add(BenchKeystoneCommand.Create());
        bench.Subcommands.Add(BenchSignatureCommand.Create());
        bench.Subcommands.Add(BenchGlanceCommand.Create());
        bench.Subcommands.Add(BenchScheduleCommand.Create());
        bench.Subcommands.Add(BenchComputeCommand.Create());
        return bench;
    }

    /// <summary>The value at fraction <paramref name="q"/> of sorted samples (nearest rank).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
