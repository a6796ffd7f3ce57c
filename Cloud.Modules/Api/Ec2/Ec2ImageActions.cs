using System.Xml.Linq;
using Cloud.Modules.Glance;
using Cloud.Modules.Glance.Registry;
using static Cloud.Modules.Api.Ec2.Ec2Xml;

namespace Cloud.Modules.Api.Ec2;

/// <summary>DescribeImages, RegisterImage and DeregisterImage on the glance registry.</summary>
public sealed class Ec2ImageActions(ImageApi glance, Ec2Images images) : IEc2Actions
{
    public IReadOnlyDictionary<string, Func<Ec2Call, Task<XDocument>>> Actions => new Dictionary<string, Func<Ec2Call, Task<XDocument>>>
    {
        ["DescribeImages"] = DescribeAsync,
        ["RegisterImage"] = RegisterAsync,
        ["DeregisterImage"] = DeregisterAsync,
    };

    private async Task<XDocument> DescribeAsync(Ec2Call call)
    {
        var ids = call.List("ImageId");
        IEnumerable<Image> shown = ids.Count == 0
            ? await images.ListAsync(call.Context, call.CancellationToken).ConfigureAwait(false)
            : await Task.WhenAll(ids.Select(id => images.FindAsync(call.Context, id, call.CancellationToken))).ConfigureAwait(false);
        var owners = call.List("Owner");
        if (owners.Count > 0)
        {
            shown = shown.Where(i => owners.Any(o => o == i.Owner || (o == "self" && i.Owner == call.Context.ProjectId)));
        }
        return Response("DescribeImages", call.RequestId, Set("imagesSet", shown.Select(Item)));
    }

    /// <summary>
    /// Registers an image record in glance (container and disk format ami, aki or ari as the name's kind says) whose
    /// data is then uploaded through the image API; EC2's S3 bundle manifests have no object store to come from here.
    /// </summary>
    private async Task<XDocument> RegisterAsync(Ec2Call call)
    {
        var name = call.Get("Name") ?? call.Required("ImageLocation");
        var draft = new ImageDraft { Name = name, ContainerFormat = "ami", DiskFormat = "ami", Visibility = ImageVisibility.Private };
        foreach (var (parameter, property) in new[] { ("Architecture", "architecture"), ("Description", "description"), ("ImageLocation", "image_location"), ("RootDeviceName", "root_device_name") })
        {
            if (call.Get(parameter) is { } value)
            {
                draft.Properties[property] = value;
            }
        }
        if (call.Get("KernelId") is { } kernel)
        {
            draft.Properties["kernel_id"] = (await images.FindAsync(call.Context, kernel, call.CancellationToken).ConfigureAwait(false)).Id;
        }
        if (call.Get("RamdiskId") is { } ramdisk)
        {
            draft.Properties["ramdisk_id"] = (await images.FindAsync(call.Context, ramdisk, call.CancellationToken).ConfigureAwait(false)).Id;
        }
        var image = await glance.CreateAsync(call.Context, draft, null, call.CancellationToken).ConfigureAwait(false);
        return Response("RegisterImage", call.RequestId, Element("imageId", Ec2ImageIds.Format(Ec2ImageIds.Machine, image.Id)));
    }

    private async Task<XDocument> DeregisterAsync(Ec2Call call)
    {
        var image = await images.FindAsync(call.Context, call.Required("ImageId"), call.CancellationToken).ConfigureAwait(false);
        await glance.DeleteAsync(call.Context, image.Id, call.CancellationToken).ConfigureAwait(false);
        return Response("DeregisterImage", call.RequestId, Element("return", "true"));
    }

    private static IEnumerable<XElement> Item(Image image)
    {
        var prefix = Ec2ImageIds.PrefixOf(image.ContainerFormat);
        yield return Element("imageId", Ec2ImageIds.Format(prefix, image.Id));
        yield return Element("imageLocation", image.Properties.GetValueOrDefault("image_location") ?? image.Name ?? image.Id);
        yield return Element("imageState", image.Status switch
        {
            ImageStatus.Active => "available",
            ImageStatus.Queued or ImageStatus.Saving => "pending",
            _ => "failed",
        });
        yield return Element("imageOwnerId", image.Owner ?? "");
        yield return Element("isPublic", image.Visibility == ImageVisibility.Public ? "true" : "false");
        yield return Element("architecture", image.Properties.GetValueOrDefault("architecture") ?? "x86_64");
        yield return Element("imageType", Ec2ImageIds.TypeOf(image.ContainerFormat));
        if (image.Properties.GetValueOrDefault("kernel_id") is { } kernel)
        {
            yield return Element("kernelId", Ec2ImageIds.Format(Ec2ImageIds.Kernel, kernel));
        }
        if (image.Properties.GetValueOrDefault("ramdisk_id") is { } ramdisk)
        {
            yield return Element("ramdiskId", Ec2ImageIds.Format(Ec2ImageIds.Ramdisk, ramdisk));
        }
        if (image.Name is { } name)
        {
            yield return Element("name", name);
        }
        if (image.Properties.GetValueOrDefault("description") is { } description)
        {
            yield return Element("description", description);
        }
        yield return Element("rootDeviceType", "instance-store");
        yield return Element("rootDeviceName", image.Properties.GetValueOrDefault("root_device_name") ?? "/dev/vda");
        yield return Element("blockDeviceMapping");
        yield return Element("virtualizationType", "hvm");
        yield return Element("hypervisor", "kvm");
        yield return Element("creationDate", Ec2InstanceXml.Timestamp(image.CreatedAt));
    }
}
