using System.CommandLine;

namespace Cloud.Host.Commands;

/// <summary><c>cloudd manage ...</c>: the operator's tool (nova-manage).</summary>
public static class ManageCommand
{
    public static Command Create()
    {
        var manage = new Command("manage", "Operator commands (the nova-manage equivalent).");
        manage.Subcommands.Add(ManageDbCommand.Create());
        manage.Subcommands.Add(ManageServiceCommand.Create());
        manage.Subcommands.Add(ManageFlagsCommand.Create());
        manage.Subcommands.Add(ManageRpcCommand.Create());
        manage.Subcommands.Add(ManageUserCommand.Create());
        manage.Subcommands.Add(ManageProjectCommand.Create());
        manage.Subcommands.Add(ManageRoleCommand.Create());
        manage.Subcommands.Add(ManageImageCacheCommand.Create());
        manage.Subcommands.Add(ManageFlavorCommand.Create());
        manage.Subcommands.Add(ManageNetworkCommand.Create());
        manage.Subcommands.Add(ManageFloatingCommand.Create());
        manage.Subcommands.Add(ManageFixedCommand.Create());
        manage.Subcommands.Add(ManageVolumeCommand.Create());
        return manage;
    }
}
