using System.CommandLine;
using System.Globalization;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Host.Commands;

/// <summary><c>cloudd manage service list|enable|disable|delete</c>.</summary>
public static class ManageServiceCommand
{
    public static Command Create()
    {
        var service = new Command("service", "Services (one role on one host) and their heartbeats.");

        var list = new Command("list", "List services: binary, host, zone, status, state (up/down by heartbeat), updated_at.");
        ToolHost.SetAction(list, async (_, services, ct) =>
        {
            var group = services.GetRequiredService<ServiceGroup>();
            var rows = await group.ListAsync(ct).ConfigureAwait(false);
            TextTable.Write(Console.Out, ["Binary", "Host", "Zone", "Status", "State", "Updated_At"], rows.Select(s => (IReadOnlyList<string>)
            [
                s.Binary,
                s.Host,
                s.AvailabilityZone,
                s.Disabled ? "disabled" : "enabled",
                group.IsUp(s) ? "up" : "down",
                s.UpdatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ]));
            return 0;
        });

        service.Subcommands.Add(list);
        service.Subcommands.Add(Toggle("enable", "Allow scheduling onto a service.", disabled: false));
        service.Subcommands.Add(Toggle("disable", "Stop scheduling onto a service (it keeps running).", disabled: true));
        service.Subcommands.Add(Delete());
        return service;
    }

    private static Command Toggle(string name, string description, bool disabled)
    {
        var (command, host, binary) = HostAndBinary(name, description);
        ToolHost.SetAction(command, async (parse, services, ct) =>
        {
            var h = parse.GetRequiredValue(host);
            var b = parse.GetRequiredValue(binary);
            if (!await services.GetRequiredService<ServiceGroup>().SetDisabledAsync(h, b, disabled, ct).ConfigureAwait(false))
            {
                throw new OperatorException($"no service {b} on host {h}");
            }
            Console.WriteLine($"{b} on {h} {(disabled ? "disabled" : "enabled")}");
            return 0;
        });
        return command;
    }

    private static Command Delete()
    {
        var (command, host, binary) = HostAndBinary("delete", "Remove a service's row (a host taken out of the cloud).");
        ToolHost.SetAction(command, async (parse, services, ct) =>
        {
            var h = parse.GetRequiredValue(host);
            var b = parse.GetRequiredValue(binary);
            if (!await services.GetRequiredService<ServiceGroup>().DeleteAsync(h, b, ct).ConfigureAwait(false))
            {
                throw new OperatorException($"no service {b} on host {h}");
            }
            Console.WriteLine($"{b} on {h} deleted");
            return 0;
        });
        return command;
    }

    private static (Command Command, Argument<string> Host, Argument<string> Binary) HostAndBinary(string name, string description)
    {
        var host = new Argument<string>("host") { Description = "Host name as in 'service list'" };
        var binary = new Argument<string>("binary") { Description = "Binary as in 'service list', e.g. cloudd-compute" };
        var command = new Command(name, description) { host, binary };
        return (command, host, binary);
    }
}
