using Cloud.Modules.Glance.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Glance.Registry;

/// <summary>
/// Sharing of images with other projects (glance's image members). Only shared images have members; the owner (or an
/// admin) adds and removes them, and each member project answers for itself: pending, accepted or rejected. A member
/// sees only its own membership.
/// </summary>
public sealed class ImageMembers(IDbConnectionFactory db, ImageRegistry registry, TimeProvider clock)
{
    private const int MaxMemberLength = 64;

    public async Task<IReadOnlyList<ImageMember>> ListAsync(RequestContext context, string imageId, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var image = await SharedAsync(c, context, imageId, $"Not allowed to list members for image {imageId}: Only shared images have members.", cancellationToken).ConfigureAwait(false);
        var members = (await c.QueryAsync<ImageMember>(Cmd(ImageQueries.MembersOf, new { Id = imageId }, cancellationToken)).ConfigureAwait(false)).AsList();
        return ImageRegistry.IsOwnerOrAdmin(context, image) ? members : members.Where(m => m.Member == context.ProjectId).ToList();
    }

    public async Task<ImageMember> GetAsync(RequestContext context, string imageId, string member, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var image = await SharedAsync(c, context, imageId, $"Only shared images have members; image {imageId} is not shared.", cancellationToken).ConfigureAwait(false);
        var found = await c.QuerySingleOrDefaultAsync<ImageMember>(Cmd(ImageQueries.MemberOf, new { Id = imageId, Member = member }, cancellationToken)).ConfigureAwait(false);
        return found is not null && (ImageRegistry.IsOwnerOrAdmin(context, image) || member == context.ProjectId)
            ? found
            : throw CloudException.NotFound($"Project {member} is not a member of image {imageId}.");
    }

    public async Task<ImageMember> AddAsync(RequestContext context, string imageId, string member, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(member) || member.Length > MaxMemberLength)
        {
            throw CloudException.Invalid($"member must be a project id of 1 to {MaxMemberLength} characters.");
        }
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var image = await SharedAsync(c, context, imageId, $"Not allowed to create members for image {imageId}.", cancellationToken).ConfigureAwait(false);
        if (!ImageRegistry.IsOwnerOrAdmin(context, image))
        {
            throw CloudException.Forbidden($"Only the owner of image {imageId} may share it.");
        }
        if (await c.QuerySingleOrDefaultAsync<ImageMember>(Cmd(ImageQueries.MemberOf, new { Id = imageId, Member = member }, cancellationToken)).ConfigureAwait(false) is not null)
        {
            throw CloudException.Conflict($"Project {member} is already a member of image {imageId}.");
        }
        try
        {
            await c.ExecuteAsync(Cmd(ImageQueries.InsertMember, new { Id = imageId, Member = member, Now = clock.GetUtcNow().UtcDateTime }, cancellationToken)).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException)
        {
            // Another request added the same member between the check and the insert: the unique index decided, a 409 says so.
            if (await c.QuerySingleOrDefaultAsync<ImageMember>(Cmd(ImageQueries.MemberOf, new { Id = imageId, Member = member }, cancellationToken)).ConfigureAwait(false) is not null)
            {
                throw CloudException.Conflict($"Project {member} is already a member of image {imageId}.");
            }
            throw;
        }
        return await GetAsync(context, imageId, member, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A member accepts or rejects an image shared with it; nobody else answers for it but an admin.</summary>
    public async Task<ImageMember> SetStatusAsync(RequestContext context, string imageId, string member, string status, CancellationToken cancellationToken)
    {
        if (!MemberStatus.All.Contains(status))
        {
            throw CloudException.Invalid("Incorrect request: Status must be \"pending\", \"accepted\" or \"rejected\".");
        }
        var current = await GetAsync(context, imageId, member, cancellationToken).ConfigureAwait(false);
        if (!context.IsAdmin && context.ProjectId != member)
        {
            throw CloudException.Forbidden($"Only project {member} may accept or reject image {imageId}.");
        }
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(ImageQueries.SetMemberStatus, new { Id = imageId, Member = member, Status = status, Now = clock.GetUtcNow().UtcDateTime }, cancellationToken)).ConfigureAwait(false);
        return await GetAsync(context, imageId, current.Member, cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveAsync(RequestContext context, string imageId, string member, CancellationToken cancellationToken)
    {
        await GetAsync(context, imageId, member, cancellationToken).ConfigureAwait(false);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var image = await registry.VisibleAsync(c, context, imageId, cancellationToken).ConfigureAwait(false);
        if (!ImageRegistry.IsOwnerOrAdmin(context, image))
        {
            throw CloudException.Forbidden($"Only the owner of image {imageId} may stop sharing it.");
        }
        await c.ExecuteAsync(Cmd(ImageQueries.DeleteMember, new { Id = imageId, Member = member }, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// The images shared with project <paramref name="member"/> (the v1 API's shared-images): all of them for the
    /// project itself or an admin, otherwise only those the caller owns.
    /// </summary>
    public async Task<IReadOnlyList<ImageMember>> SharedWithAsync(RequestContext context, string member, CancellationToken cancellationToken)
    {
        Policy.RequireAuthenticated(context);
        var owner = context.IsAdmin || context.ProjectId == member ? null : context.ProjectId ?? "";
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await c.QueryAsync<ImageMember>(Cmd(ImageQueries.MembershipsOf, new { Member = member, Owner = owner }, cancellationToken)).ConfigureAwait(false)).AsList();
    }

    /// <summary>The image when it is shared; else 403 with <paramref name="refusal"/>, glance's words for the refused action.</summary>
    private async Task<Image> SharedAsync(System.Data.Common.DbConnection c, RequestContext context, string imageId, string refusal, CancellationToken cancellationToken)
    {
        var image = await registry.VisibleAsync(c, context, imageId, cancellationToken).ConfigureAwait(false);
        return image.Visibility == ImageVisibility.Shared ? image : throw CloudException.Forbidden(refusal);
    }
}
