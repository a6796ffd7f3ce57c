using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Cloud.Modules.Kernel.Db;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Host.Commands;

/// <summary>
/// <c>cloudd bench startup</c>: starts <c>cloudd --roles=all</c> as a child with this command's flags, times it
/// until every role's service row has reported, then reads the child's idle memory (RSS).
/// </summary>
public static class BenchStartupCommand
{
    private static readonly Option<string> Roles = new("--roles") { Description = "Roles to start", DefaultValueFactory = _ => "all" };
    private static readonly Option<int> Idle = new("--idle") { Description = "Seconds to let the child idle before reading its memory", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> Runs = new("--runs") { Description = "How many cold starts", DefaultValueFactory = _ => 3 };

    public static Command Create()
    {
        var command = new Command("startup", "Cold start time of cloudd to all roles up, and its idle RSS.") { Roles, Idle, Runs };
        ToolHost.SetAction(command, async (parse, services, ct) =>
        {
            await services.GetRequiredService<MigrationRunner>().SyncAsync(ct).ConfigureAwait(false);
            var group = services.GetRequiredService<ServiceGroup>();
            var roles = RoleSelection.Parse(parse.GetValue(Roles), ModuleCatalog.All);
            var flagArgs = (parse.GetValue(CloudCommand.FlagFile) ?? []).Select(f => $"--flagfile={Path.GetFullPath(f)}").Concat(CloudCommand.FlagTokens(parse)).ToList();
            for (var run = 1; run <= parse.GetValue(Runs); run++)
            {
                var start = SelfProcess.StartInfo([$"--roles={parse.GetValue(Roles)}", "--report_interval=1", .. flagArgs]);
                start.RedirectStandardError = true;
                start.RedirectStandardOutput = true;
                // Strictly after the start: rows of an earlier run must not count.
                var since = DateTime.UtcNow;
                var watch = Stopwatch.StartNew();
                using var child = Process.Start(start)!;
                child.OutputDataReceived += (_, _) => { };
                child.ErrorDataReceived += (_, _) => { };
                child.BeginOutputReadLine();
                child.BeginErrorReadLine();
                while (!child.HasExited)
                {
                    var rows = await group.ListAsync(ct).ConfigureAwait(false);
                    if (roles.All(r => rows.Any(s => s.Binary == ServiceGroup.BinaryOf(r.Role) && s.UpdatedAt > since)))
                    {
                        break;
                    }
                    await Task.Delay(20, ct).ConfigureAwait(false);
                }
                var upSeconds = watch.Elapsed.TotalSeconds;
                if (child.HasExited)
                {
                    throw new OperatorException($"cloudd exited with {child.ExitCode} before its roles were up");
                }
                await Task.Delay(TimeSpan.FromSeconds(parse.GetValue(Idle)), ct).ConfigureAwait(false);
                var rss = RssMiB(child.Id);
                var stop = Stopwatch.StartNew();
                Posix.Terminate(child.Id);
                await child.WaitForExitAsync(ct).ConfigureAwait(false);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run}: {roles.Count} roles up in {upSeconds:0.000} s; idle RSS after {parse.GetValue(Idle)} s: {rss:0.0} MiB; stopped in {stop.Elapsed.TotalSeconds:0.000} s (exit {child.ExitCode})"));
            }
            return 0;
        });
        return command;
    }

    private static double RssMiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
