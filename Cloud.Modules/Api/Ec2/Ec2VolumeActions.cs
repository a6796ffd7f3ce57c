using System.Xml.Linq;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Cloud.Modules.Volume;
using static Cloud.Modules.Api.Ec2.Ec2Xml;

namespace Cloud.Modules.Api.Ec2;

/// <summary>
/// CreateVolume, DescribeVolumes, AttachVolume, DetachVolume and DeleteVolume (euca-create-volume … of the seed's 4.9):
/// volumes named <c>vol-%08x</c>, attached through the compute API. Another project's volume does not exist.
/// </summary>
public sealed class Ec2VolumeActions(VolumeApi volumes, ComputeApi compute) : IEc2Actions
{
    private static readonly Dictionary<string, Func<VolumeInfo, string?>> FilterFields = new(StringComparer.Ordinal)
    {
        ["volume-id"] = v => Ec2VolumeIds.Volume(v.Id),
        ["status"] = Ec2VolumeXml.Status,
        ["availability-zone"] = v => v.AvailabilityZone,
        ["size"] = v => v.SizeGb.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["attachment.device"] = v => v.Mountpoint,
        ["attachment.status"] = Ec2VolumeXml.AttachmentStatus,
    };

    public IReadOnlyDictionary<string, Func<Ec2Call, Task<XDocument>>> Actions => new Dictionary<string, Func<Ec2Call, Task<XDocument>>>
    {
        ["CreateVolume"] = CreateAsync,
        ["DescribeVolumes"] = DescribeAsync,
        ["AttachVolume"] = AttachAsync,
        ["DetachVolume"] = DetachAsync,
        ["DeleteVolume"] = DeleteAsync,
    };

    private async Task<XDocument> CreateAsync(Ec2Call call)
    {
        var size = call.Integer("Size");
        if (size is < 1)
        {
            throw new Ec2ActionException("InvalidParameterValue", $"Invalid value '{size}' for Size: a volume is at least 1 GiB.");
        }
        var snapshot = call.Get("SnapshotId") is { } snapshotId
            ? await Ec2Errors.Translate(volumes.GetSnapshotByIdAsync(call.Context, Ec2VolumeIds.ParseSnapshot(snapshotId), call.CancellationToken), notFound: "InvalidSnapshot.NotFound").ConfigureAwait(false)
            : null;
        if (size is null && snapshot is null)
        {
            throw new Ec2ActionException("MissingParameter", "The request must contain the parameter size or snapshotId.");
        }
        var volume = await Ec2VolumeErrors.QuotaAsync(
            volumes.CreateAsync(call.Context, new CreateVolumeRequest(size, AvailabilityZone: call.Get("AvailabilityZone"), SnapshotUuid: snapshot?.Uuid), call.CancellationToken),
            "VolumeLimitExceeded").ConfigureAwait(false);
        return Response("CreateVolume", call.RequestId, Ec2VolumeXml.Volume(volume, snapshot is null ? null : Ec2VolumeIds.Snapshot(snapshot.Id), null).Where(e => e.Name.LocalName != "attachmentSet"));
    }

    private async Task<XDocument> DescribeAsync(Ec2Call call)
    {
        var (ctx, ct) = (call.Context, call.CancellationToken);
        var filters = call.Filters();
        var unknown = filters.FirstOrDefault(f => !FilterFields.ContainsKey(f.Name) && f.Name is not ("snapshot-id" or "attachment.instance-id"));
        if (unknown.Name is not null)
        {
            throw new Ec2ActionException("InvalidParameterValue", $"The filter '{unknown.Name}' is invalid");
        }
        IEnumerable<VolumeInfo> shown = await volumes.ListAsync(ctx, new VolumeListQuery(), ct).ConfigureAwait(false);
        var ids = call.List("VolumeId");
        if (ids.Count > 0)
        {
            var wanted = ids.Select(Ec2VolumeIds.ParseVolume).ToHashSet();
            var byId = shown.ToDictionary(v => v.Id);
            var missing = wanted.Where(id => !byId.ContainsKey(id)).Select(Ec2VolumeIds.Volume).ToList();
            if (missing.Count > 0)
            {
                throw new Ec2ActionException("InvalidVolume.NotFound", $"The volume '{string.Join(", ", missing)}' does not exist.");
            }
            shown = wanted.Order().Select(id => byId[id]);
        }
        var items = new List<(VolumeInfo Volume, string? Snapshot, string? Instance)>();
        foreach (var volume in shown)
        {
            items.Add((volume, await SnapshotEc2IdAsync(call, volume).ConfigureAwait(false), await InstanceEc2IdAsync(call, volume).ConfigureAwait(false)));
        }
        foreach (var (name, values) in filters)
        {
            Func<(VolumeInfo Volume, string? Snapshot, string? Instance), string?> field = name switch
            {
                "snapshot-id" => i => i.Snapshot,
                "attachment.instance-id" => i => i.Instance,
                _ => i => FilterFields[name](i.Volume),
            };
            items = [.. items.Where(i => field(i) is { } value && values.Contains(value, StringComparer.Ordinal))];
        }
        return Response("DescribeVolumes", call.RequestId, Set("volumeSet", items.Select(i => Ec2VolumeXml.Volume(i.Volume, i.Snapshot, i.Instance))));
    }

    private async Task<XDocument> AttachAsync(Ec2Call call)
    {
        var (ctx, ct) = (call.Context, call.CancellationToken);
        var volume = await Ec2VolumeErrors.VolumeAsync(volumes, call).ConfigureAwait(false);
        var instance = await Ec2Errors.Translate(compute.GetAsync(ctx, call.Required("InstanceId"), ct), notFound: "InvalidInstanceID.NotFound").ConfigureAwait(false);
        await Ec2Errors.Translate(compute.AttachVolumeAsync(ctx, instance.Uuid, volume.Uuid, call.Required("Device"), ct), conflict: "IncorrectState").ConfigureAwait(false);
        var attaching = await volumes.GetAsync(ctx, volume.Uuid, ct).ConfigureAwait(false);
        return Response("AttachVolume", call.RequestId, Ec2VolumeXml.Attachment(attaching, instance.Ec2Id));
    }

    private async Task<XDocument> DetachAsync(Ec2Call call)
    {
        var (ctx, ct) = (call.Context, call.CancellationToken);
        var volume = await Ec2VolumeErrors.VolumeAsync(volumes, call).ConfigureAwait(false);
        if (volume.InstanceUuid is not { Length: > 0 } instanceUuid || volume.Status is not (VolumeStatuses.InUse or VolumeStatuses.Attaching))
        {
            throw new Ec2ActionException("IncorrectState", $"Volume {Ec2VolumeIds.Volume(volume.Id)} is not attached to an instance (it is {volume.Status}).");
        }
        var instance = await Ec2Errors.Translate(compute.GetAsync(ctx, instanceUuid, ct), notFound: "InvalidInstanceID.NotFound").ConfigureAwait(false);
        if (call.Get("InstanceId") is { } named && named != instance.Ec2Id)
        {
            throw new Ec2ActionException("IncorrectState", $"Volume {Ec2VolumeIds.Volume(volume.Id)} is attached to {instance.Ec2Id}, not {named}.");
        }
        await Ec2Errors.Translate(compute.DetachVolumeAsync(ctx, instance.Uuid, volume.Uuid, ct), conflict: "IncorrectState").ConfigureAwait(false);
        var detaching = await volumes.GetAsync(ctx, volume.Uuid, ct).ConfigureAwait(false);
        return Response("DetachVolume", call.RequestId, Ec2VolumeXml.Attachment(detaching, instance.Ec2Id));
    }

    private async Task<XDocument> DeleteAsync(Ec2Call call)
    {
        var volume = await Ec2VolumeErrors.VolumeAsync(volumes, call).ConfigureAwait(false);
        var code = volume.Status is VolumeStatuses.InUse or VolumeStatuses.Attaching or VolumeStatuses.Detaching ? "VolumeInUse" : "IncorrectState";
        try
        {
            await volumes.DeleteAsync(call.Context, volume.Uuid, call.CancellationToken).ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind is CloudErrorKind.Invalid or CloudErrorKind.Conflict)
        {
            throw new Ec2ActionException(code, e.Message);
        }
        return Response("DeleteVolume", call.RequestId, Element("return", "true"));
    }

    private async Task<string?> SnapshotEc2IdAsync(Ec2Call call, VolumeInfo volume)
    {
        if (volume.SnapshotUuid is null)
        {
            return null;
        }
        try
        {
            return Ec2VolumeIds.Snapshot((await volumes.GetSnapshotAsync(call.Context, volume.SnapshotUuid, call.CancellationToken).ConfigureAwait(false)).Id);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.NotFound)
        {
            return null; // deleted since
        }
    }

    private async Task<string?> InstanceEc2IdAsync(Ec2Call call, VolumeInfo volume)
    {
        if (volume.InstanceUuid is not { Length: > 0 } uuid || volume.Status is VolumeStatuses.Available)
        {
            return null;
        }
        try
        {
            return (await compute.GetAsync(call.Context, uuid, call.CancellationToken).ConfigureAwait(false)).Ec2Id;
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.NotFound)
        {
            return null; // terminated since
        }
    }
}
