using System.Xml.Linq;
using Cloud.Modules.Compute;
using Cloud.Modules.Glance.Registry;
using static Cloud.Modules.Api.Ec2.Ec2Xml;

namespace Cloud.Modules.Api.Ec2;

/// <summary>RunInstances, DescribeInstances, TerminateInstances, RebootInstances, StopInstances, StartInstances and GetConsoleOutput.</summary>
public sealed class Ec2InstanceActions(
    ComputeApi compute, InstanceMetadataApi details, FlavorApi flavors, KeyPairApi keyPairs, SecurityGroupApi securityGroups, Ec2Images images, TimeProvider clock) : IEc2Actions, IEc2WrittenActions
{
    /// <summary>How long DescribeInstances still shows a terminated instance (as EC2 does).</summary>
    private static readonly TimeSpan TerminatedShownFor = TimeSpan.FromHours(1);

    private static readonly Dictionary<string, Func<Instance, string>> FilterFields = new(StringComparer.Ordinal)
    {
        ["instance-id"] = i => i.Ec2Id,
        ["instance-state-name"] = i => Ec2InstanceXml.State(i).Name,
        ["key-name"] = i => i.KeyName ?? "",
        ["availability-zone"] = i => i.AvailabilityZone ?? "nova",
        ["reservation-id"] = i => i.ReservationId,
        ["image-id"] = i => Ec2ImageIds.Format(Ec2ImageIds.Machine, i.ImageRef),
    };

    public IReadOnlyDictionary<string, Func<Ec2Call, Task<Ec2Written>>> WrittenActions => new Dictionary<string, Func<Ec2Call, Task<Ec2Written>>>
    {
        ["RunInstances"] = RunAsync,
        ["DescribeInstances"] = DescribeAsync,
    };

    public IReadOnlyDictionary<string, Func<Ec2Call, Task<XDocument>>> Actions => new Dictionary<string, Func<Ec2Call, Task<XDocument>>>
    {
        ["TerminateInstances"] = call => ChangeStateAsync(call, "TerminateInstances", (ctx, id, ct) => compute.TerminateAsync(ctx, id, ct)),
        ["StopInstances"] = call => ChangeStateAsync(call, "StopInstances", (ctx, id, ct) => compute.StopAsync(ctx, id, ct)),
        ["StartInstances"] = call => ChangeStateAsync(call, "StartInstances", (ctx, id, ct) => compute.StartAsync(ctx, id, ct)),
        ["RebootInstances"] = RebootAsync,
        ["GetConsoleOutput"] = ConsoleOutputAsync,
    };

    private async Task<Ec2Written> RunAsync(Ec2Call call)
    {
        var (ctx, ct) = (call.Context, call.CancellationToken);
        var minCount = call.Integer("MinCount") ?? 1;
        var maxCount = call.Integer("MaxCount") ?? minCount;
        if (minCount < 1 || maxCount < minCount || maxCount > int.MaxValue)
        {
            throw new Ec2ActionException("InvalidParameterValue", $"Invalid instance counts: MinCount {minCount} must be at least 1 and MaxCount {maxCount} at least MinCount.");
        }
        if (maxCount > ServerLimits.MaxInstancesPerRequest)
        {
            throw new Ec2ActionException("InstanceLimitExceeded", $"You have requested more instances ({maxCount}) than one request may launch ({ServerLimits.MaxInstancesPerRequest}).");
        }
        var image = await images.FindAsync(ctx, call.Required("ImageId"), ct).ConfigureAwait(false);
        if (image.Status != ImageStatus.Active)
        {
            throw new Ec2ActionException("InvalidAMIID.Unavailable", $"Image {call.Get("ImageId")} is {image.Status}, not available.");
        }
        var typeName = call.Get("InstanceType") ?? "m1.small";
        var flavor = await flavors.FindAsync(typeName, ct).ConfigureAwait(false)
            ?? throw new Ec2ActionException("InvalidParameterValue", $"Invalid value '{typeName}' for InstanceType.");
        var keyName = call.Get("KeyName");
        if (keyName is not null)
        {
            await Ec2Errors.Translate(keyPairs.GetAsync(ctx, keyName, ct), notFound: "InvalidKeyPair.NotFound").ConfigureAwait(false);
        }
        var groups = new List<string>(call.List("SecurityGroup"));
        foreach (var groupId in call.List("SecurityGroupId"))
        {
            groups.Add((await Ec2SecurityGroupXml.FindAsync(securityGroups, ctx, null, groupId, ct).ConfigureAwait(false)).Name);
        }
        foreach (var group in groups)
        {
            await Ec2Errors.Translate(securityGroups.GetAsync(ctx, group, ct), notFound: "InvalidGroup.NotFound").ConfigureAwait(false);
        }
        var userData = call.Get("UserData");
        if (userData is not null && !IsBase64(userData))
        {
            throw new Ec2ActionException("InvalidParameterValue", "UserData must be base64-encoded.");
        }
        // A KernelId/RamdiskId parameter is an EC2 id; the image's kernel_id/ramdisk_id properties are glance ids already.
        var (kernelId, ramdiskId) = await images.KernelAndRamdiskAsync(ctx, image, call.Get("KernelId"), call.Get("RamdiskId"), ct).ConfigureAwait(false);
        var request = new CreateInstancesRequest(image.Id, flavor.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), (int)minCount, (int)maxCount)
        {
            KeyName = keyName,
            SecurityGroups = groups,
            UserData = userData,
            AvailabilityZone = call.Get("Placement.AvailabilityZone"),
            KernelId = kernelId,
            RamdiskId = ramdiskId,
            ImageProperties = image.Properties,
        };
        var created = await compute.CreateAsync(ctx, request, ct).ConfigureAwait(false);
        var names = await compute.GetSecurityGroupNamesAsync(ctx, created[0].Uuid, ct).ConfigureAwait(false);
        var addresses = await details.AddressesAsync(created, ct).ConfigureAwait(false);
        return new Ec2Written("RunInstances", writer => Ec2InstanceXml.WriteReservation(writer, created, _ => flavor.Name, names, addresses));
    }

    private async Task<Ec2Written> DescribeAsync(Ec2Call call)
    {
        var (ctx, ct) = (call.Context, call.CancellationToken);
        var filters = call.Filters();
        var unknown = filters.FirstOrDefault(f => f.Name != "instance-type" && !FilterFields.ContainsKey(f.Name));
        if (unknown.Name is not null)
        {
            throw new Ec2ActionException("InvalidParameterValue", $"The filter '{unknown.Name}' is invalid");
        }
        var paging = Ec2InstancePaging.Of(call);
        var flavorNames = (await flavors.ListAsync(ct).ConfigureAwait(false)).ToDictionary(f => f.Id, f => f.Name);
        string TypeOf(Instance i) => flavorNames.GetValueOrDefault(i.InstanceTypeId, "unknown");
        // EC2 shows a terminated instance for about an hour, then forgets it.
        var recentlyTerminated = new InstanceListQuery { DeletedSince = clock.GetUtcNow().UtcDateTime - TerminatedShownFor };
        IEnumerable<Instance> instances = await compute.ListAsync(ctx, recentlyTerminated, ct).ConfigureAwait(false);
        var ids = call.List("InstanceId");
        if (ids.Count > 0)
        {
            var byId = instances.ToDictionary(i => i.Ec2Id, StringComparer.Ordinal);
            var missing = ids.Where(id => !byId.ContainsKey(id)).ToList();
            if (missing.Count > 0)
            {
                throw new Ec2ActionException("InvalidInstanceID.NotFound", $"The instance IDs '{string.Join(", ", missing)}' do not exist");
            }
            instances = ids.Distinct(StringComparer.Ordinal).Select(id => byId[id]);
        }
        foreach (var (name, values) in filters)
        {
            var field = name == "instance-type" ? TypeOf : FilterFields[name];
            instances = instances.Where(i => values.Contains(field(i), StringComparer.Ordinal));
        }
        var (shown, nextToken) = paging.Apply(instances);
        var addresses = await details.AddressesAsync(shown, ct).ConfigureAwait(false);
        // One query for every reservation's groups (a query per reservation made 1,000 single-instance reservations 2,000 round trips).
        var groupsOf = await details.SecurityGroupNamesOfAsync(shown, ct).ConfigureAwait(false);
        var reservations = shown.GroupBy(i => i.ReservationId).OrderBy(r => r.Min(i => i.Id)).Select(r => r.ToList()).ToList();
        return new Ec2Written("DescribeInstances", writer =>
        {
            Ec2XmlWriting.Set(writer, "reservationSet", reservations, (w, members) =>
                Ec2InstanceXml.WriteReservation(w, members, TypeOf, [.. groupsOf[members[0].Uuid]], addresses));
            if (nextToken is not null)
            {
                Ec2XmlWriting.Text(writer, "nextToken", nextToken);
            }
        });
    }

    /// <summary>Looks every id up before acting on any, so one unknown id changes nothing.</summary>
    private async Task<IReadOnlyList<Instance>> InstancesAsync(Ec2Call call)
    {
        var ids = call.List("InstanceId");
        if (ids.Count == 0)
        {
            throw new Ec2ActionException("MissingParameter", "The request must contain the parameter InstanceId.");
        }
        var found = new List<Instance>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (!Compute.Ec2Ids.TryParseInstance(id, out _))
            {
                throw new Ec2ActionException("InvalidInstanceID.Malformed", $"Invalid id: \"{id}\" (expecting \"i-...\").");
            }
            found.Add(await Ec2Errors.Translate(compute.GetAsync(call.Context, id, call.CancellationToken), notFound: "InvalidInstanceID.NotFound").ConfigureAwait(false));
        }
        return found;
    }

    private async Task<XDocument> ChangeStateAsync(Ec2Call call, string action, Func<Kernel.Auth.RequestContext, string, CancellationToken, Task> change)
    {
        var before = await InstancesAsync(call).ConfigureAwait(false);
        var items = new List<IEnumerable<XElement>>();
        foreach (var instance in before)
        {
            await Ec2Errors.Translate(change(call.Context, instance.Uuid, call.CancellationToken), conflict: "IncorrectInstanceState").ConfigureAwait(false);
            var after = await compute.GetAsync(call.Context, instance.Uuid, call.CancellationToken).ConfigureAwait(false);
            items.Add(Ec2InstanceXml.StateChange(instance, after));
        }
        return Response(action, call.RequestId, Set("instancesSet", items));
    }

    private async Task<XDocument> RebootAsync(Ec2Call call)
    {
        foreach (var instance in await InstancesAsync(call).ConfigureAwait(false))
        {
            await Ec2Errors.Translate(compute.RebootAsync(call.Context, instance.Uuid, hard: false, call.CancellationToken), conflict: "IncorrectInstanceState").ConfigureAwait(false);
        }
        return Response("RebootInstances", call.RequestId, Element("return", "true"));
    }

    private async Task<XDocument> ConsoleOutputAsync(Ec2Call call)
    {
        var id = call.Required("InstanceId");
        var instance = (await InstancesAsync(call with { Request = call.Request with { QueryParameters = [KeyValuePair.Create("InstanceId.1", id)], FormParameters = [] } }).ConfigureAwait(false))[0];
        var output = await Ec2Errors.Translate(compute.GetConsoleOutputAsync(call.Context, instance.Uuid, call.CancellationToken), conflict: "IncorrectInstanceState").ConfigureAwait(false);
        return Response("GetConsoleOutput", call.RequestId,
            Element("instanceId", instance.Ec2Id),
            Element("timestamp", Ec2InstanceXml.Timestamp(clock.GetUtcNow().UtcDateTime)),
            Element("output", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(output))));
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }
}
