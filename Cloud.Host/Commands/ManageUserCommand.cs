using System.CommandLine;
using Cloud.Modules.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Host.Commands;

/// <summary><c>cloudd manage user admin|create|delete|list|exports|password</c> (nova-manage user).</summary>
public static class ManageUserCommand
{
    private static readonly Argument<string> Name = new("name") { Description = "User name" };
    private static readonly Option<string?> Password = new("--password") { Description = "Password for the OpenStack APIs (default: read from CLOUDD_PASSWORD, else none)" };

    public static Command Create()
    {
        var user = new Command("user", "Users and their credentials.");
        user.Subcommands.Add(Creator("admin", "Create a cloud administrator and print its EC2 keys.", isAdmin: true));
        user.Subcommands.Add(Creator("create", "Create a user and print its EC2 keys.", isAdmin: false));
        user.Subcommands.Add(ManageImageReaderCommand.Create());

        var delete = new Command("delete", "Delete a user; its tokens stop working.") { Name };
        ToolHost.SetAction(delete, async (parse, services, ct) =>
        {
            await services.GetRequiredService<IdentityApi>().DeleteUserAsync(parse.GetRequiredValue(Name), ct).ConfigureAwait(false);
            Console.WriteLine($"deleted user {parse.GetRequiredValue(Name)}");
            return 0;
        });

        var list = new Command("list", "List users.");
        ToolHost.SetAction(list, async (_, services, ct) =>
        {
            var users = await services.GetRequiredService<IdentityApi>().ListUsersAsync(ct).ConfigureAwait(false);
            TextTable.Write(Console.Out, ["Name", "Id", "Admin", "Access_Key"], users.Select(u => (IReadOnlyList<string>)[u.Name, u.Id, u.IsAdmin ? "yes" : "no", u.AccessKey]));
            return 0;
        });

        var exports = new Command("exports", "Print the user's EC2 keys as shell exports.") { Name };
        ToolHost.SetAction(exports, async (parse, services, ct) =>
        {
            PrintExports(await services.GetRequiredService<IdentityApi>().GetUserAsync(parse.GetRequiredValue(Name), ct).ConfigureAwait(false));
            return 0;
        });

        var password = new Command("password", "Set a user's password (from --password or CLOUDD_PASSWORD); its tokens stop working.") { Name, Password };
        ToolHost.SetAction(password, async (parse, services, ct) =>
        {
            var value = PasswordOf(parse) ?? throw new OperatorException("give the password with --password or in CLOUDD_PASSWORD");
            await services.GetRequiredService<IdentityApi>().SetPasswordAsync(parse.GetRequiredValue(Name), value, ct).ConfigureAwait(false);
            Console.WriteLine($"password of {parse.GetRequiredValue(Name)} changed");
            return 0;
        });

        user.Subcommands.Add(delete);
        user.Subcommands.Add(list);
        user.Subcommands.Add(exports);
        user.Subcommands.Add(password);
        return user;
    }

    private static Command Creator(string name, string description, bool isAdmin)
    {
        var command = new Command(name, description) { Name, Password };
        ToolHost.SetAction(command, async (parse, services, ct) =>
        {
            var user = await services.GetRequiredService<IdentityApi>().CreateUserAsync(parse.GetRequiredValue(Name), isAdmin, PasswordOf(parse), ct).ConfigureAwait(false);
            PrintExports(user);
            return 0;
        });
        return command;
    }

    /// <summary>The environment variable keeps the password out of the process list and shell history.</summary>
    private static string? PasswordOf(ParseResult parse) =>
        parse.GetValue(Password) ?? Environment.GetEnvironmentVariable("CLOUDD_PASSWORD");

    private static void PrintExports(User user)
    {
        Console.WriteLine($"export EC2_ACCESS_KEY={user.AccessKey}");
        Console.WriteLine($"export EC2_SECRET_KEY={user.SecretKey}");
    }
}
