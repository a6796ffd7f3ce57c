using Cloud.Modules.Glance;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Identity;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Compute;

/// <summary>
/// Registers the queued Glance image a snapshot (createImage, shelve) is uploaded into, with the properties nova 26 gives
/// it (nova.compute.utils.create_image): the base image's inheritable properties and what nova keeps in the instance's
/// system metadata (<c>base_image_ref</c>, <c>owner_user_name</c>, <c>owner_project_name</c>, <c>boot_roles</c>), then
/// <c>image_type</c>, <c>instance_uuid</c> and <c>user_id</c>, then the caller's. The libvirt driver's upload properties
/// (<c>image_location</c>, <c>image_state</c>, <c>owner_id</c>) are written too, as cloudd's drivers always upload the disk.
/// </summary>
public sealed class SnapshotImages(ImageApi images, UserApi users, ProjectApi projects, AssignmentApi assignments)
{
    /// <summary>nova's NON_INHERITABLE_IMAGE_PROPERTIES and what the snapshot sets itself.</summary>
    private static readonly HashSet<string> NonInheritable = new(StringComparer.Ordinal)
    {
        "cache_in_nova", "bittorrent", "img_signature_hash_method", "img_signature", "img_signature_key_type", "img_signature_certificate_uuid",
        "cinder_encryption_key_id", "cinder_encryption_key_deletion_policy",
        "image_type", "instance_uuid", "base_image_ref", "user_id", "owner_id", "image_location", "image_state", "instance_owner",
        "owner_user_name", "owner_project_name", "boot_roles",
    };

    /// <summary>The queued snapshot image of <paramref name="instance"/> named <paramref name="name"/>; <paramref name="properties"/> win.</summary>
    public async Task<Image> CreateAsync(RequestContext context, Instance instance, string name, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(properties);
        var draft = new ImageDraft
        {
            Name = name,
            DiskFormat = "qcow2",
            ContainerFormat = "bare",
            Visibility = context.ProjectId == instance.ProjectId ? ImageVisibility.Private : ImageVisibility.Shared,
        };
        if (await BaseImageAsync(context, instance, cancellationToken).ConfigureAwait(false) is { } baseImage)
        {
            draft.MinDisk = baseImage.MinDisk;
            draft.MinRam = baseImage.MinRam;
            foreach (var (key, value) in baseImage.Properties.Where(p => !NonInheritable.Contains(p.Key) && !p.Key.StartsWith("os_glance", StringComparison.Ordinal)))
            {
                draft.Properties[key] = value;
            }
        }
        foreach (var (key, value) in await OwnerPropertiesAsync(instance, cancellationToken).ConfigureAwait(false))
        {
            draft.Properties[key] = value;
        }
        draft.Properties["base_image_ref"] = instance.ImageRef;
        draft.Properties["image_type"] = "snapshot";
        draft.Properties["instance_uuid"] = instance.Uuid;
        draft.Properties["user_id"] = context.UserId ?? instance.UserId;
        draft.Properties["owner_id"] = instance.ProjectId;
        draft.Properties["image_location"] = "snapshot";
        draft.Properties["image_state"] = "available";
        if (context.ProjectId != instance.ProjectId)
        {
            draft.Properties["instance_owner"] = instance.ProjectId;
        }
        foreach (var (key, value) in properties)
        {
            draft.Properties[key] = value;
        }
        return await images.CreateAsync(context, draft, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What nova records of the instance's owner at boot (its system metadata): the user's and project's names and the
    /// user's roles in the project, comma-separated. A user or project deleted since is left out.
    /// </summary>
    private async Task<Dictionary<string, string>> OwnerPropertiesAsync(Instance instance, CancellationToken cancellationToken)
    {
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        if (await users.FindAsync(instance.UserId, cancellationToken).ConfigureAwait(false) is { } user)
        {
            owner["owner_user_name"] = user.Name;
            var roles = await assignments.ProjectRolesAsync(user.Id, instance.ProjectId, cancellationToken).ConfigureAwait(false);
            owner["boot_roles"] = string.Join(",", roles.Select(r => r.Name));
        }
        if (await projects.FindAsync(instance.ProjectId, cancellationToken).ConfigureAwait(false) is { } project)
        {
            owner["owner_project_name"] = project.Name;
        }
        return owner;
    }

    private async Task<Image?> BaseImageAsync(RequestContext context, Instance instance, CancellationToken cancellationToken)
    {
        try
        {
            return await images.GetAsync(context, instance.ImageRef, cancellationToken).ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.NotFound)
        {
            return null;
        }
    }
}
