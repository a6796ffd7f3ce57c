using System.CommandLine;
using Cloud.Modules.Network;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Host.Commands;

/// <summary><c>cloudd manage fixed reserve|unreserve|list</c> (nova-manage fixed).</summary>
public static class ManageFixedCommand
{
    private static readonly Argument<string> Address = new("address") { Description = "The fixed IP, such as 10.0.0.5" };

    public static Command Create()
    {
        var fixedIps = new Command("fixed", "Fixed IPs: keep addresses out of allocation, list them.");

        var reserve = new Command("reserve", "Never hand this address to an instance (refused while one holds it).") { Address };
        ToolHost.SetAction(reserve, async (parse, services, ct) =>
        {
            await services.GetRequiredService<FixedIpApi>().ReserveAsync(parse.GetRequiredValue(Address), ct).ConfigureAwait(false);
            Console.WriteLine($"reserved {parse.GetRequiredValue(Address)}");
            return 0;
        });

        var unreserve = new Command("unreserve", "Hand this address out again.") { Address };
        ToolHost.SetAction(unreserve, async (parse, services, ct) =>
        {
            await services.GetRequiredService<FixedIpApi>().UnreserveAsync(parse.GetRequiredValue(Address), ct).ConfigureAwait(false);
            Console.WriteLine($"unreserved {parse.GetRequiredValue(Address)}");
            return 0;
        });

        var list = new Command("list", "List fixed IPs and who holds them.");
        ToolHost.SetAction(list, async (_, services, ct) =>
        {
            var ips = await services.GetRequiredService<FixedIpApi>().ListAsync(ct).ConfigureAwait(false);
            TextTable.Write(Console.Out, ["IP address", "instance", "MAC address", "hostname", "reserved", "allocated", "leased"],
                ips.Select(ip => (IReadOnlyList<string>)
                    [ip.Address, ip.InstanceUuid ?? "None", ip.MacAddress ?? "None", ip.Hostname ?? "None", YesNo(ip.Reserved), YesNo(ip.Allocated), YesNo(ip.Leased)]));
            return 0;
        });

        fixedIps.Subcommands.Add(reserve);
        fixedIps.Subcommands.Add(unreserve);
        fixedIps.Subcommands.Add(list);
        return fixedIps;
    }

    private static string YesNo(bool value) => value ? "True" : "False";
}
