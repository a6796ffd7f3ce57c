using System.CommandLine;
using System.Globalization;
using Cloud.Modules.Identity;
using Cloud.Modules.Identity.Credentials;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Host.Commands;

/// <summary><c>cloudd manage project create|list|delete|add|remove|quota|zipfile</c> (nova-manage project).</summary>
public static class ManageProjectCommand
{
    private static readonly Argument<string> Project = new("project") { Description = "Project name" };
    private static readonly Argument<string> User = new("user") { Description = "User name" };

    public static Command Create()
    {
        var project = new Command("project", "Projects, their members and quotas.");

        var manager = new Argument<string>("manager") { Description = "User who manages the project" };
        var description = new Argument<string?>("description") { Description = "Description", Arity = ArgumentArity.ZeroOrOne };
        var create = new Command("create", "Create a project managed by a user (who becomes its first member).") { Project, manager, description };
        ToolHost.SetAction(create, async (parse, services, ct) =>
        {
            var p = await Identity(services).CreateProjectAsync(parse.GetRequiredValue(Project), parse.GetRequiredValue(manager), parse.GetValue(description), ct).ConfigureAwait(false);
            Console.WriteLine($"created project {p.Name} ({p.Id})");
            return 0;
        });

        var list = new Command("list", "List projects.");
        ToolHost.SetAction(list, async (_, services, ct) =>
        {
            var projects = await Identity(services).ListProjectsAsync(null, ct).ConfigureAwait(false);
            TextTable.Write(Console.Out, ["Name", "Id", "Description"], projects.Select(p => (IReadOnlyList<string>)[p.Name, p.Id, p.Description]));
            return 0;
        });

        var delete = new Command("delete", "Delete a project; tokens scoped to it stop working.") { Project };
        ToolHost.SetAction(delete, async (parse, services, ct) =>
        {
            await Identity(services).DeleteProjectAsync(parse.GetRequiredValue(Project), ct).ConfigureAwait(false);
            Console.WriteLine($"deleted project {parse.GetRequiredValue(Project)}");
            return 0;
        });

        var add = new Command("add", "Make a user a member of a project.") { Project, User };
        ToolHost.SetAction(add, async (parse, services, ct) =>
        {
            await Identity(services).AddMemberAsync(parse.GetRequiredValue(Project), parse.GetRequiredValue(User), ct).ConfigureAwait(false);
            Console.WriteLine($"added {parse.GetRequiredValue(User)} to project {parse.GetRequiredValue(Project)}");
            return 0;
        });

        var remove = new Command("remove", "Remove a user from a project.") { Project, User };
        ToolHost.SetAction(remove, async (parse, services, ct) =>
        {
            await Identity(services).RemoveMemberAsync(parse.GetRequiredValue(Project), parse.GetRequiredValue(User), ct).ConfigureAwait(false);
            Console.WriteLine($"removed {parse.GetRequiredValue(User)} from project {parse.GetRequiredValue(Project)}");
            return 0;
        });

        var key = new Argument<string?>("key") { Description = "Quota to set, e.g. instances", Arity = ArgumentArity.ZeroOrOne };
        var value = new Argument<string?>("value") { Description = "New limit (-1: unlimited)", Arity = ArgumentArity.ZeroOrOne };
        var quota = new Command("quota", "Show a project's quotas, or set one.") { Project, key, value };
        ToolHost.SetAction(quota, async (parse, services, ct) =>
        {
            var name = parse.GetRequiredValue(Project);
            if (parse.GetValue(key) is { } resource)
            {
                if (!long.TryParse(parse.GetValue(value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit))
                {
                    throw Cloud.Modules.Kernel.Flags.FlagError.Of($"quota {resource} needs a whole number, not '{parse.GetValue(value)}'");
                }
                await Identity(services).SetQuotaAsync(name, resource, limit, ct).ConfigureAwait(false);
            }
            foreach (var (resourceName, limitValue) in await Identity(services).QuotasAsync(name, ct).ConfigureAwait(false))
            {
                Console.WriteLine($"{resourceName}: {(limitValue < 0 ? "unlimited" : limitValue.ToString(CultureInfo.InvariantCulture))}");
            }
            return 0;
        });

        var file = new Argument<string?>("file") { Description = "Zip file or directory to write (default: novacreds.zip here)", Arity = ArgumentArity.ZeroOrOne };
        var password = new Option<string?>("--password") { Description = "Write OS_PASSWORD into novarc (default: CLOUDD_PASSWORD; else novarc asks when sourced)" };
        var zipfile = new Command("zipfile", "Write a user's credentials for a project: novarc, pk.pem, cert.pem, cacert.pem.") { Project, User, file, password };
        ToolHost.SetAction(zipfile, async (parse, services, ct) =>
        {
            var bundle = await services.GetRequiredService<CredentialsApi>().BundleAsync(
                parse.GetRequiredValue(Project), parse.GetRequiredValue(User), parse.GetValue(password) ?? Environment.GetEnvironmentVariable("CLOUDD_PASSWORD"), ct).ConfigureAwait(false);
            var target = parse.GetValue(file) ?? "novacreds.zip";
            if (Directory.Exists(target))
            {
                target = Path.Combine(target, "novacreds.zip");
            }
            try
            {
                CredentialsZip.Save(target, bundle, overwrite: true);
            }
            catch (IOException e)
            {
                throw new OperatorException($"cannot write {target}: {e.Message}");
            }
            catch (UnauthorizedAccessException e)
            {
                throw new OperatorException($"cannot write {target}: {e.Message}");
            }
            Console.WriteLine(Path.GetFullPath(target));
            return 0;
        });

        project.Subcommands.Add(create);
        project.Subcommands.Add(zipfile);
        project.Subcommands.Add(list);
        project.Subcommands.Add(delete);
        project.Subcommands.Add(add);
        project.Subcommands.Add(remove);
        project.Subcommands.Add(quota);
        return project;
    }

    private static IdentityApi Identity(IServiceProvider services) => services.GetRequiredService<IdentityApi>();
}
