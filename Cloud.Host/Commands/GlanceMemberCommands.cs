using System.CommandLine;

namespace Cloud.Host.Commands;

/// <summary>
/// The seed's glance member commands over the image API v1: <c>image-members ID</c>, <c>member-images MEMBER</c>,
/// <c>member-add ID MEMBER</c>, <c>member-delete ID MEMBER</c>, <c>members-replace ID MEMBER</c>. Members are project ids.
/// </summary>
public static class GlanceMemberCommands
{
    private static readonly Argument<string> ImageId = new("id") { Description = "Image id" };
    private static readonly Argument<string> Member = new("member") { Description = "Project id of the member" };

    public static IEnumerable<Command> Create()
    {
        var imageMembers = new Command("image-members", "Lists the projects an image is shared with.") { ImageId };
        GlanceCommand.SetAction(imageMembers, async (parse, client, ct) =>
        {
            var body = await client.MembersAsync(HttpMethod.Get, $"/v1/images/{Escape(parse.GetRequiredValue(ImageId))}/members", null, ct).ConfigureAwait(false);
            foreach (var member in body!.Value.GetProperty("members").EnumerateArray())
            {
                Console.WriteLine(member.GetProperty("member_id").GetString());
            }
        });

        var memberImages = new Command("member-images", "Lists the images shared with a project.") { Member };
        GlanceCommand.SetAction(memberImages, async (parse, client, ct) =>
        {
            var body = await client.MembersAsync(HttpMethod.Get, $"/v1/shared-images/{Escape(parse.GetRequiredValue(Member))}", null, ct).ConfigureAwait(false);
            foreach (var image in body!.Value.GetProperty("shared_images").EnumerateArray())
            {
                Console.WriteLine(image.GetProperty("image_id").GetString());
            }
        });

        var memberAdd = new Command("member-add", "Shares an image with a project.") { ImageId, Member };
        GlanceCommand.SetAction(memberAdd, (parse, client, ct) =>
            client.MembersAsync(HttpMethod.Put, MemberPath(parse), null, ct));

        var memberDelete = new Command("member-delete", "Stops sharing an image with a project.") { ImageId, Member };
        GlanceCommand.SetAction(memberDelete, (parse, client, ct) =>
            client.MembersAsync(HttpMethod.Delete, MemberPath(parse), null, ct));

        var membersReplace = new Command("members-replace", "Shares an image with this project only, replacing every other member.") { ImageId, Member };
        GlanceCommand.SetAction(membersReplace, (parse, client, ct) =>
            client.MembersAsync(HttpMethod.Put, $"/v1/images/{Escape(parse.GetRequiredValue(ImageId))}/members",
                new { memberships = new[] { new { member_id = parse.GetRequiredValue(Member), can_share = false } } }, ct));

        return [imageMembers, memberImages, memberAdd, memberDelete, membersReplace];
    }

    private static string MemberPath(ParseResult parse) =>
        $"/v1/images/{Escape(parse.GetRequiredValue(ImageId))}/members/{Escape(parse.GetRequiredValue(Member))}";

    private static string Escape(string value) => Uri.EscapeDataString(value);
}
