using System.Xml.Linq;
using Cloud.Modules.Kernel;
using Cloud.Modules.Volume;
using static Cloud.Modules.Api.Ec2.Ec2Xml;

namespace Cloud.Modules.Api.Ec2;

/// <summary>CreateSnapshot, DescribeSnapshots and DeleteSnapshot: snapshots named <c>snap-%08x</c>; another project's does not exist.</summary>
public sealed class Ec2SnapshotActions(VolumeApi volumes) : IEc2Actions
{
    private static readonly Dictionary<string, Func<SnapshotInfo, string>> FilterFields = new(StringComparer.Ordinal)
    {
        ["snapshot-id"] = s => Ec2VolumeIds.Snapshot(s.Id),
        ["volume-id"] = s => Ec2VolumeIds.Volume(s.VolumeId),
        ["status"] = Ec2VolumeXml.SnapshotStatus,
        ["description"] = s => s.Description ?? "",
    };

    public IReadOnlyDictionary<string, Func<Ec2Call, Task<XDocument>>> Actions => new Dictionary<string, Func<Ec2Call, Task<XDocument>>>
    {
        ["CreateSnapshot"] = CreateAsync,
        ["DescribeSnapshots"] = DescribeAsync,
        ["DeleteSnapshot"] = DeleteAsync,
    };

    private async Task<XDocument> CreateAsync(Ec2Call call)
    {
        var volume = await Ec2VolumeErrors.VolumeAsync(volumes, call).ConfigureAwait(false);
        var snapshot = await Ec2VolumeErrors.QuotaAsync(
            Ec2Errors.Translate(volumes.CreateSnapshotAsync(call.Context, volume.Uuid, null, call.Get("Description"), force: false, call.CancellationToken), conflict: "IncorrectState"),
            "SnapshotLimitExceeded").ConfigureAwait(false);
        return Response("CreateSnapshot", call.RequestId, Ec2VolumeXml.Snapshot(snapshot));
    }

    private async Task<XDocument> DescribeAsync(Ec2Call call)
    {
        var filters = call.Filters();
        var unknown = filters.FirstOrDefault(f => !FilterFields.ContainsKey(f.Name));
        if (unknown.Name is not null)
        {
            throw new Ec2ActionException("InvalidParameterValue", $"The filter '{unknown.Name}' is invalid");
        }
        IEnumerable<SnapshotInfo> shown = await volumes.ListSnapshotsAsync(call.Context, false, null, call.CancellationToken).ConfigureAwait(false);
        var ids = call.List("SnapshotId");
        if (ids.Count > 0)
        {
            var wanted = ids.Select(Ec2VolumeIds.ParseSnapshot).ToHashSet();
            var byId = shown.ToDictionary(s => s.Id);
            var missing = wanted.Where(id => !byId.ContainsKey(id)).Select(Ec2VolumeIds.Snapshot).ToList();
            if (missing.Count > 0)
            {
                throw new Ec2ActionException("InvalidSnapshot.NotFound", $"The snapshot '{string.Join(", ", missing)}' does not exist.");
            }
            shown = wanted.Order().Select(id => byId[id]);
        }
        foreach (var (name, values) in filters)
        {
            shown = shown.Where(s => values.Contains(FilterFields[name](s), StringComparer.Ordinal));
        }
        return Response("DescribeSnapshots", call.RequestId, Set("snapshotSet", shown.Select(Ec2VolumeXml.Snapshot)));
    }

    private async Task<XDocument> DeleteAsync(Ec2Call call)
    {
        var ec2Id = call.Required("SnapshotId");
        try
        {
            var snapshot = await volumes.GetSnapshotByIdAsync(call.Context, Ec2VolumeIds.ParseSnapshot(ec2Id), call.CancellationToken).ConfigureAwait(false);
            await Ec2Errors.Translate(volumes.DeleteSnapshotAsync(call.Context, snapshot.Uuid, call.CancellationToken), conflict: "IncorrectState").ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.NotFound)
        {
            throw new Ec2ActionException("InvalidSnapshot.NotFound", $"The snapshot '{ec2Id}' does not exist.");
        }
        return Response("DeleteSnapshot", call.RequestId, Element("return", "true"));
    }
}
