using System.CommandLine;
using Cloud.Modules.Network;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Host.Commands;

/// <summary><c>cloudd manage floating create|list|delete</c> (nova-manage floating).</summary>
public static class ManageFloatingCommand
{
    private static readonly Argument<string> Range = new("range") { Description = "An address or a CIDR, such as 172.24.4.0/28 (its host addresses)" };
    private static readonly Option<string?> Pool = new("--pool") { Description = "Pool of the addresses (default: --default_floating_pool, nova)" };
    private static readonly Option<string?> Interface = new("--interface") { Description = "Interface the addresses are bound to (default: --public_interface)" };
    private static readonly Argument<string> DeleteRange = new("range") { Description = "The address or CIDR given to create" };

    public static Command Create()
    {
        var floating = new Command("floating", "Floating IPs: addresses projects allocate and associate with instances.");

        var create = new Command("create", "Add a range of floating IPs.") { Range, Pool, Interface };
        ToolHost.SetAction(create, async (parse, services, ct) =>
        {
            var api = services.GetRequiredService<FloatingIpApi>();
            var added = await api.CreateRangeAsync(parse.GetRequiredValue(Range), parse.GetValue(Pool), parse.GetValue(Interface), ct).ConfigureAwait(false);
            Console.WriteLine($"created {added.Count} floating IPs ({added[0]} - {added[^1]})");
            return 0;
        });

        // nova-manage floating list: project, address, instance, pool, interface, tab-separated, None for nothing.
        var list = new Command("list", "List floating IPs.");
        ToolHost.SetAction(list, async (_, services, ct) =>
        {
            var all = await services.GetRequiredService<FloatingIpApi>().ListAllAsync(ct).ConfigureAwait(false);
            if (all.Count == 0)
            {
                Console.WriteLine("No floating IP addresses have been defined.");
            }
            foreach (var f in all)
            {
                Console.WriteLine($"{f.ProjectId ?? "None"}\t{f.Address}\t{f.InstanceUuid ?? "None"}\t{f.Pool}\t{f.Interface}");
            }
            return 0;
        });

        var delete = new Command("delete", "Delete a range of floating IPs; refused while one of them is associated.") { DeleteRange };
        ToolHost.SetAction(delete, async (parse, services, ct) =>
        {
            var deleted = await services.GetRequiredService<FloatingIpApi>().DeleteRangeAsync(parse.GetRequiredValue(DeleteRange), ct).ConfigureAwait(false);
            Console.WriteLine($"deleted {deleted} floating IPs");
            return 0;
        });

        floating.Subcommands.Add(create);
        floating.Subcommands.Add(list);
        floating.Subcommands.Add(delete);
        return floating;
    }
}
