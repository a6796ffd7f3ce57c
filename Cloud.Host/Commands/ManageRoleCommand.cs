using System.CommandLine;
using Cloud.Modules.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Host.Commands;

/// <summary><c>cloudd manage role add|remove USER ROLE PROJECT</c> (nova-manage role).</summary>
public static class ManageRoleCommand
{
    public static Command Create()
    {
        var role = new Command("role", $"Project roles of users ({string.Join(", ", Roles.Grantable)}).");
        role.Subcommands.Add(Change("add", "Grant a user a role in a project.", add: true));
        role.Subcommands.Add(Change("remove", "Take a role in a project away from a user; its tokens stop working.", add: false));
        return role;
    }

    private static Command Change(string name, string description, bool add)
    {
        var user = new Argument<string>("user") { Description = "User name" };
        var roleName = new Argument<string>("role") { Description = "Role" };
        var project = new Argument<string>("project") { Description = "Project name" };
        var command = new Command(name, description) { user, roleName, project };
        ToolHost.SetAction(command, async (parse, services, ct) =>
        {
            var identity = services.GetRequiredService<IdentityApi>();
            var (u, r, p) = (parse.GetRequiredValue(user), parse.GetRequiredValue(roleName), parse.GetRequiredValue(project));
            if (add)
            {
                await identity.AddRoleAsync(u, r, p, ct).ConfigureAwait(false);
            }
            else
            {
                await identity.RemoveRoleAsync(u, r, p, ct).ConfigureAwait(false);
            }
            Console.WriteLine($"{(add ? "granted" : "removed")} role {r} {(add ? "to" : "from")} {u} in project {p}");
            return 0;
        });
        return command;
    }
}
