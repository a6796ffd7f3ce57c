using System.CommandLine;
using System.Globalization;
using Cloud.Modules.Volume;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Host.Commands;

/// <summary><c>cloudd manage volume list|delete</c> (nova-manage volume).</summary>
public static class ManageVolumeCommand
{
    private static readonly Argument<string> Id = new("id") { Description = "The volume: its integer id (as list shows it), vol-%08x or its uuid" };

    public static Command Create()
    {
        var volume = new Command("volume", "Volumes of every project.");

        var list = new Command("list", "List every volume: id, project, host, size, zone, status, attach status, instance, mountpoint.");
        ToolHost.SetAction(list, async (_, services, ct) =>
        {
            var all = await services.GetRequiredService<VolumeApi>().ListAllAsync(ct).ConfigureAwait(false);
            TextTable.Write(Console.Out, ["ID", "Project", "Host", "Size", "Zone", "Status", "Attach_Status", "Instance", "Mountpoint"], all.Select(v => (IReadOnlyList<string>)
            [
                v.Id.ToString(CultureInfo.InvariantCulture),
                v.ProjectId,
                v.Host ?? "None",
                v.SizeGb.ToString(CultureInfo.InvariantCulture),
                v.AvailabilityZone,
                v.Status,
                v.AttachStatus,
                v.InstanceUuid ?? "None",
                v.Mountpoint ?? "None",
            ]));
            return 0;
        });

        var delete = new Command("delete", "Delete a volume whatever its status (its attachment is cleared in the database first); its host wipes and removes it.") { Id };
        ToolHost.SetAction(delete, async (parse, services, ct) =>
        {
            var id = parse.GetRequiredValue(Id);
            await services.GetRequiredService<VolumeApi>().ForceDeleteAsync(id, ct).ConfigureAwait(false);
            Console.WriteLine($"volume {id} is being deleted");
            return 0;
        });

        volume.Subcommands.Add(list);
        volume.Subcommands.Add(delete);
        return volume;
    }
}
