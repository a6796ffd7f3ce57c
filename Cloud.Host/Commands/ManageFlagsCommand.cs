using System.CommandLine;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Host.Commands;

/// <summary><c>cloudd manage flags</c>: every flag, its default and help, and the value in effect where it differs.</summary>
public static class ManageFlagsCommand
{
    public static Command Create()
    {
        var command = new Command("flags", "List every flag with its default and help, and where a flag file or the command line set it.");
        ToolHost.SetAction(command, (_, services, _) =>
        {
            var flags = services.GetRequiredService<FlagValues>();
            foreach (var group in flags.Registry.All.GroupBy(f => f.DeclaredBy.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"{group.Key}:");
                foreach (var flag in group)
                {
                    Console.WriteLine($"  --{flag.Name}={flag.Display(flag.DefaultValue)}");
                    Console.WriteLine($"      {flag.Help} ({TypeName(flag.ValueType)})");
                    if (flags.Settings.TryGetValue(flag.Name, out var set))
                    {
                        Console.WriteLine($"      set to {flag.Display(set.Value)} at {set.Origin}");
                    }
                }
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static string TypeName(Type type) => type == typeof(bool) ? "boolean" : type == typeof(string) ? "string" : type == typeof(double) ? "number" : "integer";
}
