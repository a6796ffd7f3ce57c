using System.Data.Common;
using Cloud.Modules.Glance.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Glance.Registry;

/// <summary>
/// The image registry (glance-registry): images, their properties, tags and members in the database, and the rules
/// of who sees and changes what. Admins see everything; a project sees its own images, public and community ones, and
/// shared ones it is a member of. Only the owner or an admin changes an image; an image the caller cannot see is
/// reported missing, one it can see but not change is a 403.
/// </summary>
public sealed class ImageRegistry(IDbConnectionFactory db, TimeProvider clock)
{
    /// <summary>The stores an import is still writing to (glance's reserved property).</summary>
    public const string ImportingToStores = "os_glance_importing_to_stores";

    /// <summary>The stores an import failed for (glance's reserved property).</summary>
    public const string FailedImport = "os_glance_failed_import";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<Image> CreateAsync(RequestContext context, ImageDraft draft, string? id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var project = Policy.RequireScoped(context);
        draft.Owner ??= project;
        if (draft.Owner != project && !context.IsAdmin)
        {
            throw CloudException.Forbidden("Only an admin may create an image owned by another project.");
        }
        CheckPublishing(context, draft.Visibility);
        draft.Validate();
        id ??= Guid.NewGuid().ToString();
        if (!Guid.TryParseExact(id, "D", out _))
        {
            throw CloudException.Invalid($"Image id '{id}' is not a UUID.");
        }
        var now = Now;
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (await c.ExecuteScalarAsync<long>(Cmd(ImageQueries.ImageExists, new { Id = id }, cancellationToken)).ConfigureAwait(false) > 0)
        {
            throw CloudException.Conflict($"An image with identifier {id} already exists.");
        }
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(ImageQueries.InsertImage, new
        {
            Id = id, draft.Name, Status = ImageStatus.Queued, draft.Visibility, draft.Owner, draft.DiskFormat, draft.ContainerFormat,
            draft.MinDisk, draft.MinRam, draft.Protected, draft.OsHidden, CreatedAt = now, UpdatedAt = now,
        }, cancellationToken, t)).ConfigureAwait(false);
        await WriteExtrasAsync(c, t, id, draft, cancellationToken).ConfigureAwait(false);
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return await GetAsync(context, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The image if the caller may see it (any member of a shared image may, whatever its answer); else 404.</summary>
    public async Task<Image> GetAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await VisibleAsync(c, context, id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ImagePage> ListAsync(RequestContext context, ImageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        Policy.RequireAuthenticated(context);
        if (query.Limit is < 0 or > ImageQuery.MaxLimit)
        {
            throw CloudException.Invalid($"limit must be between 0 and {ImageQuery.MaxLimit}.");
        }
        if (query.MemberStatus != "all" && !MemberStatus.All.Contains(query.MemberStatus))
        {
            throw CloudException.Invalid($"Invalid member_status '{query.MemberStatus}': use pending, accepted, rejected or all.");
        }
        if (query.Visibility is { } v && v != "all")
        {
            ImageRules.CheckVisibility(v);
        }
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (query.Marker is { } marker)
        {
            try
            {
                await VisibleAsync(c, context, marker, cancellationToken).ConfigureAwait(false);
            }
            catch (CloudException e) when (e.Kind == CloudErrorKind.NotFound)
            {
                throw CloudException.Invalid($"No image found with ID {marker}");
            }
        }
        var (sql, args) = ImageListSql.Build(context, query);
        var rows = (await c.QueryAsync<Image>(Cmd(sql, args, cancellationToken)).ConfigureAwait(false)).AsList();
        var more = rows.Count > query.Limit;
        var page = await WithExtrasAsync(c, more ? rows.Take(query.Limit).ToList() : rows, cancellationToken).ConfigureAwait(false);
        return new ImagePage(page, more && page.Count > 0 ? page[^1].Id : null);
    }

    /// <summary>Applies a JSON patch as one change; nothing is stored unless every operation is valid.</summary>
    public async Task<Image> UpdateAsync(RequestContext context, string id, IReadOnlyList<ImagePatch> patch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var image = await ChangeableAsync(c, context, id, cancellationToken).ConfigureAwait(false);
        var draft = ImageDraft.From(image);
        foreach (var operation in patch)
        {
            draft.Apply(operation);
        }
        if (draft.Owner != image.Owner && !context.IsAdmin)
        {
            throw CloudException.Forbidden("Only an admin may change an image's owner.");
        }
        if (draft.Visibility != image.Visibility)
        {
            CheckPublishing(context, draft.Visibility);
        }
        if ((draft.DiskFormat != image.DiskFormat || draft.ContainerFormat != image.ContainerFormat) && image.Status != ImageStatus.Queued)
        {
            throw CloudException.Forbidden($"disk_format and container_format can only be changed while the image is queued, not {image.Status}.");
        }
        draft.Validate();
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(ImageQueries.UpdateImage, new
        {
            Id = id, draft.Name, draft.Visibility, draft.Owner, draft.DiskFormat, draft.ContainerFormat, draft.MinDisk, draft.MinRam,
            draft.Protected, draft.OsHidden, Now,
        }, cancellationToken, t)).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(ImageQueries.DeleteExtras, new { Id = id }, cancellationToken, t)).ConfigureAwait(false);
        await WriteExtrasAsync(c, t, id, draft, cancellationToken).ConfigureAwait(false);
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return await VisibleAsync(c, context, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks the image deleted and returns it as it was, so the caller can remove its data from the store.</summary>
    public async Task<Image> DeleteAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        Image image;
        try
        {
            image = await ChangeableAsync(c, context, id, cancellationToken).ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.NotFound)
        {
            throw CloudException.NotFound($"Failed to find image {id} to delete");
        }
        if (image.Protected)
        {
            throw CloudException.Forbidden($"Image {id} is protected and cannot be deleted.");
        }
        await c.ExecuteAsync(Cmd(ImageQueries.MarkDeleted, new { Id = id, Now }, cancellationToken)).ConfigureAwait(false);
        return image;
    }

    /// <summary>The owner's images that are not deleted, and the bytes of all of them but <paramref name="exceptId"/>'s.</summary>
    public async Task<(long Images, long Bytes)> UsageAsync(string owner, string? exceptId, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var usage = await c.QuerySingleAsync<OwnerUsage>(Cmd(ImageQueries.OwnerUsage, new { Owner = owner, Id = exceptId ?? "" }, cancellationToken)).ConfigureAwait(false);
        return (usage.Images, usage.Bytes);
    }

    /// <summary>saving → queued after an upload refused for quota, so the owner may upload again (as glance restores it).</summary>
    public async Task RequeueAsync(string id, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(ImageQueries.MoveStatus, new { Id = id, From = ImageStatus.Saving, To = ImageStatus.Queued, Now }, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>queued → saving before data is written; an image in any other status cannot take data (409).</summary>
    public async Task<Image> StartUploadAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var image = await ChangeableAsync(c, context, id, cancellationToken).ConfigureAwait(false);
        ImageRules.CheckReadyForData(image);
        await MoveAsync(c, image, ImageStatus.Saving, cancellationToken).ConfigureAwait(false);
        return image with { Status = ImageStatus.Saving };
    }

    /// <summary>saving → active with where the data is and its hashes; false when the image was deleted meanwhile.</summary>
    public async Task<bool> FinishUploadAsync(string id, string location, long size, string md5, string sha512, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.ExecuteAsync(Cmd(ImageQueries.FinishUpload, new
        {
            Id = id, Location = location, Size = size, Checksum = md5, OsHashAlgo = "sha512", OsHashValue = sha512, Now,
        }, cancellationToken)).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// queued → uploading before data is staged for an import (<paramref name="to"/> uploading), or uploading → importing
    /// when an import starts: the status change is the import's lock, so two imports of one image cannot both start.
    /// </summary>
    public async Task<Image> MoveForImportAsync(RequestContext context, string id, string to, bool mayCopy, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var image = mayCopy ? await VisibleAsync(c, context, id, cancellationToken).ConfigureAwait(false)
            : await ChangeableAsync(c, context, id, cancellationToken).ConfigureAwait(false);
        if (to == ImageStatus.Uploading)
        {
            ImageRules.CheckReadyForData(image);
        }
        await MoveAsync(c, image, to, cancellationToken).ConfigureAwait(false);
        return image with { Status = to };
    }

    /// <summary>
    /// Glance's import progress properties: the stores an import still writes to and those it failed for (comma lists;
    /// both stay, empty, after the import, as glance leaves them).
    /// </summary>
    public async Task SetImportProgressAsync(string id, string importingTo, string failed, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (name, value) in new[] { (ImportingToStores, importingTo), (FailedImport, failed) })
        {
            await c.ExecuteAsync(Cmd(ImageQueries.DeleteProperty, new { Id = id, Name = name }, cancellationToken, t)).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(ImageQueries.InsertProperty, new { Id = id, Name = name, Value = value }, cancellationToken, t)).ConfigureAwait(false);
        }
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records where the staged data of an uploading image is; false when the image left uploading meanwhile.</summary>
    public async Task<bool> SetStagedAsync(string id, string location, long size, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.ExecuteAsync(Cmd(ImageQueries.SetStaged, new { Id = id, Location = location, Size = size, Status = ImageStatus.Uploading, Now }, cancellationToken))
            .ConfigureAwait(false) == 1;
    }

    /// <summary><paramref name="from"/> (uploading or importing) → queued without data, after a failed stage or import.</summary>
    public async Task UnstageAsync(string id, string from, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(ImageQueries.Unstage, new { Id = id, From = from, Now }, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>saving → killed after a failed upload.</summary>
    public async Task KillAsync(string id, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(ImageQueries.MoveStatus, new { Id = id, From = ImageStatus.Saving, To = ImageStatus.Killed, Now }, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>active → deactivated: the data cannot be downloaded by non-admins until reactivated.</summary>
    public Task<Image> DeactivateAsync(RequestContext context, string id, CancellationToken cancellationToken) =>
        ToggleActiveAsync(context, id, ImageStatus.Active, ImageStatus.Deactivated, cancellationToken);

    public Task<Image> ReactivateAsync(RequestContext context, string id, CancellationToken cancellationToken) =>
        ToggleActiveAsync(context, id, ImageStatus.Deactivated, ImageStatus.Active, cancellationToken);

    public async Task<Image> AddTagAsync(RequestContext context, string id, string tag, CancellationToken cancellationToken)
    {
        ImageRules.CheckTag(tag);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var image = await ChangeableAsync(c, context, id, cancellationToken).ConfigureAwait(false);
        if (!image.Tags.Contains(tag))
        {
            ImageRules.CheckTags([.. image.Tags, tag]);
            await c.ExecuteAsync(Cmd(ImageQueries.InsertTag, new { Id = id, Value = tag }, cancellationToken)).ConfigureAwait(false);
        }
        return await VisibleAsync(c, context, id, cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveTagAsync(RequestContext context, string id, string tag, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ChangeableAsync(c, context, id, cancellationToken).ConfigureAwait(false);
        if (await c.ExecuteAsync(Cmd(ImageQueries.DeleteTag, new { Id = id, Value = tag }, cancellationToken)).ConfigureAwait(false) == 0)
        {
            throw CloudException.NotFound($"Tag {tag} not found on image {id}.");
        }
    }

    internal async Task<Image> VisibleAsync(DbConnection c, RequestContext context, string id, CancellationToken cancellationToken)
    {
        Policy.RequireAuthenticated(context);
        var image = await c.QuerySingleOrDefaultAsync<Image>(Cmd(ImageQueries.ImageById, new { Id = id }, cancellationToken)).ConfigureAwait(false);
        if (image is null || !await SeesAsync(c, context, image, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.NotFound($"No image found with ID {id}");
        }
        return (await WithExtrasAsync(c, [image], cancellationToken).ConfigureAwait(false))[0];
    }

    /// <summary>The image if the caller may change it: 404 when invisible, 403 when only visible.</summary>
    internal async Task<Image> ChangeableAsync(DbConnection c, RequestContext context, string id, CancellationToken cancellationToken)
    {
        var image = await VisibleAsync(c, context, id, cancellationToken).ConfigureAwait(false);
        if (!IsOwnerOrAdmin(context, image))
        {
            throw CloudException.Forbidden("You do not own this image");
        }
        return image;
    }

    internal static bool IsOwnerOrAdmin(RequestContext context, Image image) => context.IsAdmin || (context.ProjectId is { } p && p == image.Owner);

    private static async Task<bool> SeesAsync(DbConnection c, RequestContext context, Image image, CancellationToken cancellationToken) =>
        IsOwnerOrAdmin(context, image)
        || image.Visibility is ImageVisibility.Public or ImageVisibility.Community
        || (image.Visibility == ImageVisibility.Shared && context.ProjectId is { } project
            && await c.QuerySingleOrDefaultAsync<ImageMember>(Cmd(ImageQueries.MemberOf, new { image.Id, Member = project }, cancellationToken)).ConfigureAwait(false) is not null);

    /// <summary>Glance's publicize_image rule: only admins make an image public.</summary>
    private static void CheckPublishing(RequestContext context, string visibility)
    {
        if (visibility == ImageVisibility.Public && !context.IsAdmin)
        {
            throw CloudException.Forbidden("You are not authorized to complete publicize_image action.");
        }
    }

    private async Task<Image> ToggleActiveAsync(RequestContext context, string id, string from, string to, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var image = await ChangeableAsync(c, context, id, cancellationToken).ConfigureAwait(false);
        if (image.Status == to)
        {
            return image;
        }
        if (image.Status != from)
        {
            throw CloudException.Forbidden($"Not allowed to make image {id} {to} while it is {image.Status}.");
        }
        await MoveAsync(c, image, to, cancellationToken).ConfigureAwait(false);
        return image with { Status = to };
    }

    private async Task MoveAsync(DbConnection c, Image image, string to, CancellationToken cancellationToken)
    {
        var moved = ImageStatus.CanMove(image.Status, to)
            && await c.ExecuteAsync(Cmd(ImageQueries.MoveStatus, new { image.Id, From = image.Status, To = to, Now }, cancellationToken)).ConfigureAwait(false) == 1;
        if (!moved)
        {
            throw CloudException.Conflict($"Image status transition from {image.Status} to {to} is not allowed.");
        }
    }

    private static async Task WriteExtrasAsync(DbConnection c, DbTransaction t, string id, ImageDraft draft, CancellationToken cancellationToken)
    {
        if (draft.Properties.Count > 0)
        {
            await c.ExecuteAsync(Cmd(ImageQueries.InsertProperty, draft.Properties.Select(p => new { Id = id, Name = p.Key, p.Value }), cancellationToken, t)).ConfigureAwait(false);
        }
        if (draft.Tags.Count > 0)
        {
            await c.ExecuteAsync(Cmd(ImageQueries.InsertTag, draft.Tags.Select(tag => new { Id = id, Value = tag }), cancellationToken, t)).ConfigureAwait(false);
        }
    }

    private static async Task<IReadOnlyList<Image>> WithExtrasAsync(DbConnection c, IReadOnlyList<Image> images, CancellationToken cancellationToken)
    {
        if (images.Count == 0)
        {
            return images;
        }
        var ids = images.Select(i => i.Id).ToList();
        var properties = (await c.QueryAsync<ImagePropertyRow>(Cmd(ImageQueries.PropertiesOf, new { Ids = ids }, cancellationToken)).ConfigureAwait(false))
            .ToLookup(p => p.ImageId);
        var tags = (await c.QueryAsync<ImagePropertyRow>(Cmd(ImageQueries.TagsOf, new { Ids = ids }, cancellationToken)).ConfigureAwait(false))
            .ToLookup(p => p.ImageId);
        return images.Select(i => i with
        {
            Properties = properties[i.Id].ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal),
            Tags = tags[i.Id].Select(t => t.Value).Order(StringComparer.Ordinal).ToList(),
        }).ToList();
    }

    private sealed class OwnerUsage
    {
        public long Images { get; init; }

        public long Bytes { get; init; }
    }
}
