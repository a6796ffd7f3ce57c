using System.CommandLine;
using Cloud.Modules.Network;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Host.Commands;

/// <summary><c>cloudd manage network create|list|delete</c> (nova-manage network).</summary>
public static class ManageNetworkCommand
{
    private static readonly Argument<string> Label = new("label") { Description = "Name of the network(s), such as private" };
    private static readonly Argument<string> Cidr = new("cidr") { Description = "The range to split, such as 10.0.0.0/24" };
    private static readonly Argument<int> Count = new("num_networks") { Description = "How many networks to make of it" };
    private static readonly Argument<int> Size = new("network_size") { Description = "Addresses in each network (a power of two, e.g. 256)" };
    private static readonly Option<string?> Bridge = new("--bridge") { Description = "Bridge of the network (default: --flat_network_bridge, br100)" };
    private static readonly Option<string?> BridgeInterface = new("--bridge_interface") { Description = "Host interface enslaved to the bridge (default: --flat_interface)" };
    private static readonly Option<string?> Dns = new("--dns") { Description = "DNS server handed out by DHCP (default: none)" };
    private static readonly Option<int?> Vlan = new("--vlan") { Description = "VlanManager: VLAN id of the first network (default: --vlan_start); network i gets vlan+i" };
    private static readonly Option<string?> Project = new("--project") { Description = "VlanManager: the project (name or id) owning the network (default: the first that needs one)" };
    private static readonly Argument<string> DeleteCidr = new("cidr") { Description = "CIDR of the network to delete" };

    public static Command Create()
    {
        var network = new Command("network", "Fixed-IP networks (FlatDHCP, VLAN).");

        var create = new Command("create", "Create networks and their fixed IPs.") { Label, Cidr, Count, Size, Bridge, BridgeInterface, Dns, Vlan, Project };
        ToolHost.SetAction(create, async (parse, services, ct) =>
        {
            var created = await services.GetRequiredService<NetworkApi>().CreateAsync(
                parse.GetRequiredValue(Label), parse.GetRequiredValue(Cidr), parse.GetRequiredValue(Count), parse.GetRequiredValue(Size),
                parse.GetValue(Bridge), parse.GetValue(BridgeInterface), parse.GetValue(Dns), parse.GetValue(Vlan), parse.GetValue(Project), ct).ConfigureAwait(false);
            foreach (var n in created)
            {
                var vlan = n.Vlan is { } id ? $", VLAN {id}" : "";
                var project = n.ProjectId is { } owner ? $", project {owner}" : "";
                Console.WriteLine($"created network {n.Label} {n.Cidr} on {n.Bridge} (gateway {n.Gateway}, DHCP from {n.DhcpStart}{vlan}{project})");
            }
            return 0;
        });

        var list = new Command("list", "List networks.");
        ToolHost.SetAction(list, async (_, services, ct) =>
        {
            var networks = await services.GetRequiredService<NetworkApi>().ListAsync(ct).ConfigureAwait(false);
            foreach (var line in NetworkListing.Lines(networks))
            {
                Console.WriteLine(line);
            }
            return 0;
        });

        var delete = new Command("delete", "Delete a network; refused while its fixed IPs are allocated.") { DeleteCidr };
        ToolHost.SetAction(delete, async (parse, services, ct) =>
        {
            await services.GetRequiredService<NetworkApi>().DeleteAsync(parse.GetRequiredValue(DeleteCidr), ct).ConfigureAwait(false);
            Console.WriteLine($"deleted network {parse.GetRequiredValue(DeleteCidr)}");
            return 0;
        });

        network.Subcommands.Add(create);
        network.Subcommands.Add(list);
        network.Subcommands.Add(delete);
        return network;
    }
}
