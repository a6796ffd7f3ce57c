using System.CommandLine;
using Cloud.Modules.Kernel;
using Cloud.Modules.Network;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Host.Commands;

/// <summary>
/// <c>cloudd dhcpbridge add|old|del MAC IP [HOSTNAME]</c>: nova-dhcpbridge, dnsmasq's lease script. add and old mark
/// the fixed IP leased, del marks it released (a deallocated address then returns to the pool). It writes the database
/// directly rather than asking the network role over RPC: dnsmasq runs it synchronously, also for every lease it
/// still holds when it starts ("old"), which is while the network role is starting and not yet taking messages, and
/// a one-row conditional UPDATE is idempotent whoever runs it. Anything it cannot use (an unknown address, a MAC that
/// does not hold it, dnsmasq's other actions) is logged to stderr, which dnsmasq logs, and exits 0 so dnsmasq carries on.
/// </summary>
public static class DhcpBridgeCommand
{
    private static readonly Argument<string[]> Words = new("action")
    {
        Description = "add|old|del MAC IP [HOSTNAME], as dnsmasq calls its --dhcp-script",
        Arity = ArgumentArity.OneOrMore,
    };

    public static Command Create()
    {
        var command = new Command("dhcpbridge", "dnsmasq's lease script: records DHCP leases of fixed IPs (nova-dhcpbridge).") { Words };
        ToolHost.SetAction(command, async (parse, services, ct) =>
        {
            var words = parse.GetRequiredValue(Words);
            if (words is not [var action and ("add" or "old" or "del"), var mac, var address, ..])
            {
                return 0;
            }
            var fixedIps = services.GetRequiredService<FixedIpApi>();
            try
            {
                var known = action == "del"
                    ? await fixedIps.ReleasedAsync(mac, address, ct).ConfigureAwait(false)
                    : await fixedIps.LeasedAsync(mac, address, ct).ConfigureAwait(false);
                await Console.Error.WriteLineAsync(known
                    ? $"cloudd dhcpbridge: {action} {address} ({mac}): {(action == "del" ? "released" : "leased")}"
                    : $"cloudd dhcpbridge: {action} {address} ({mac}): no fixed IP with this address and MAC; ignored").ConfigureAwait(false);
            }
            catch (CloudException e)
            {
                await Console.Error.WriteLineAsync($"cloudd dhcpbridge: {action} {address} ({mac}): {e.Message}; ignored").ConfigureAwait(false);
            }
            return 0;
        });
        return command;
    }
}
