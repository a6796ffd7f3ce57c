using System.CommandLine;
using System.Globalization;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Host.Commands;

/// <summary><c>cloudd manage flavor create|list|delete</c> (nova-manage instance_type).</summary>
public static class ManageFlavorCommand
{
    private static readonly Argument<string> Name = new("name") { Description = "Flavor name, such as m1.tiny" };
    private static readonly Argument<long> MemoryMb = new("memory_mb") { Description = "RAM in MiB" };
    private static readonly Argument<long> Vcpus = new("vcpus") { Description = "Virtual CPUs" };
    private static readonly Argument<long> RootGb = new("root_gb") { Description = "Root disk in GiB (0: the image's size)" };
    private static readonly Option<long?> FlavorId = new("--flavorid") { Description = "The flavor id the APIs show (default: the next free one)" };

    public static Command Create()
    {
        var flavor = new Command("flavor", "Flavors (instance types).");

        var create = new Command("create", "Create a flavor.") { Name, MemoryMb, Vcpus, RootGb, FlavorId };
        ToolHost.SetAction(create, async (parse, services, ct) =>
        {
            var created = await services.GetRequiredService<FlavorApi>().CreateAsync(
                RequestContext.Service(), parse.GetRequiredValue(Name), parse.GetRequiredValue(MemoryMb), parse.GetRequiredValue(Vcpus),
                parse.GetRequiredValue(RootGb), parse.GetValue(FlavorId), ct).ConfigureAwait(false);
            Console.WriteLine($"created flavor {created.Name} (id {created.Id})");
            return 0;
        });

        var list = new Command("list", "List flavors.");
        ToolHost.SetAction(list, async (_, services, ct) =>
        {
            var flavors = await services.GetRequiredService<FlavorApi>().ListAsync(ct).ConfigureAwait(false);
            TextTable.Write(Console.Out, ["Name", "Id", "Memory_MB", "VCPUs", "Root_GB"], flavors.Select(f => (IReadOnlyList<string>)
                [f.Name, Text(f.Id), Text(f.MemoryMb), Text(f.Vcpus), Text(f.RootGb)]));
            return 0;
        });

        var delete = new Command("delete", "Delete a flavor; its instances keep their resources.") { Name };
        ToolHost.SetAction(delete, async (parse, services, ct) =>
        {
            await services.GetRequiredService<FlavorApi>().DeleteAsync(RequestContext.Service(), parse.GetRequiredValue(Name), ct).ConfigureAwait(false);
            Console.WriteLine($"deleted flavor {parse.GetRequiredValue(Name)}");
            return 0;
        });

        flavor.Subcommands.Add(create);
        flavor.Subcommands.Add(list);
        flavor.Subcommands.Add(delete);
        return flavor;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
