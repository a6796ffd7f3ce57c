using System.CommandLine;
using Cloud.Modules.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Host.Commands;

/// <summary>
/// <c>cloudd manage user image-reader NAME [--project service]</c>: the service user compute hosts read images from glance
/// as (<c>--image_reader_user</c>, <c>--image_reader_password</c>): a member of its project holding the <c>image_reader</c>
/// role, which glance honours only for image reads. Run once where the cloud is set up.
/// </summary>
public static class ManageImageReaderCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Service user name (--image_reader_user)" };
        var password = new Option<string?>("--password") { Description = "Its password, --image_reader_password (default: read from CLOUDD_PASSWORD)" };
        var project = new Option<string>("--project") { Description = "Its project (--image_reader_project)", DefaultValueFactory = _ => "service" };
        var command = new Command("image-reader", "Create the service user compute hosts read images as (role image_reader; it can write nothing).") { name, password, project };
        ToolHost.SetAction(command, async (parse, services, ct) =>
        {
            var identity = services.GetRequiredService<IdentityApi>();
            var (user, projectName) = (parse.GetRequiredValue(name), parse.GetRequiredValue(project));
            var secret = parse.GetValue(password) ?? Environment.GetEnvironmentVariable("CLOUDD_PASSWORD")
                ?? throw new OperatorException("give the image reader's password with --password or in CLOUDD_PASSWORD");
            await identity.CreateUserAsync(user, isAdmin: false, secret, ct).ConfigureAwait(false);
            if (await identity.FindProjectAsync(projectName, null, ct).ConfigureAwait(false) is null)
            {
                await identity.CreateProjectAsync(projectName, user, "service users", ct).ConfigureAwait(false);
            }
            else
            {
                await identity.AddMemberAsync(projectName, user, ct).ConfigureAwait(false);
            }
            await identity.AddRoleAsync(user, Roles.ImageReader, projectName, ct).ConfigureAwait(false);
            Console.WriteLine($"created image reader {user} in project {projectName}");
            return 0;
        });
        return command;
    }
}
