using System.Globalization;
using System.Xml.Linq;
using Cloud.Modules.Compute;
using Cloud.Modules.Network;
using static Cloud.Modules.Api.Ec2.Ec2Xml;

namespace Cloud.Modules.Api.Ec2;

/// <summary>Instances as EC2 shows them: state names and codes, the <c>instancesSet</c> items, reservations.</summary>
public static class Ec2InstanceXml
{
    /// <summary>EC2's state of an instance from nova's vm_state and task_state (an error shows as <c>error</c>, code 0, as nova did).</summary>
    public static (int Code, string Name) State(Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return (instance.VmState, instance.TaskState) switch
        {
            (VmStates.Deleted, _) => (48, "terminated"),
            (_, TaskStates.Deleting) => (32, "shutting-down"),
            (VmStates.Error, _) => (0, "error"),
            (VmStates.Building, _) => (0, "pending"),
            (_, TaskStates.PoweringOff) => (64, "stopping"),
            (VmStates.Stopped, TaskStates.PoweringOn) => (0, "pending"),
            (VmStates.Stopped, _) => (80, "stopped"),
            _ => (16, "running"),
        };
    }

    public static XElement StateElement(string name, Instance instance)
    {
        var (code, state) = State(instance);
        return Element(name, Element("code", code), Element("name", state));
    }

    /// <summary>One <c>instancesSet</c> item.</summary>
    /// <param name="instance">The instance.</param>
    /// <param name="instanceType">Its flavor's name.</param>
    /// <param name="groups">Its security groups.</param>
    /// <param name="privateIp">Its fixed IP.</param>
    /// <param name="publicIp">Its floating IP: nova's ipAddress and dnsName are the floating IP, else the fixed IP.</param>
    public static IEnumerable<XElement> Item(Instance instance, string instanceType, IReadOnlyList<string> groups, string? privateIp, string? publicIp = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        yield return Element("instanceId", instance.Ec2Id);
        yield return Element("imageId", Ec2ImageIds.Format(Ec2ImageIds.Machine, instance.ImageRef));
        yield return StateElement("instanceState", instance);
        yield return Element("privateDnsName", instance.Name);
        yield return Element("dnsName", publicIp ?? "");
        if (privateIp is not null)
        {
            yield return Element("privateIpAddress", privateIp);
        }
        if ((publicIp ?? privateIp) is { } ipAddress)
        {
            yield return Element("ipAddress", ipAddress);
        }
        yield return Element("reason", instance.FaultMessage ?? "");
        if (instance.KeyName is { } key)
        {
            yield return Element("keyName", key);
        }
        yield return Element("amiLaunchIndex", instance.LaunchIndex);
        yield return Element("instanceType", instanceType);
        yield return Element("launchTime", Timestamp(instance.LaunchedAt ?? instance.CreatedAt));
        yield return Element("placement", Element("availabilityZone", instance.AvailabilityZone ?? "nova"));
        if (instance.KernelId is { } kernel)
        {
            yield return Element("kernelId", Ec2ImageIds.Format(Ec2ImageIds.Kernel, kernel));
        }
        if (instance.RamdiskId is { } ramdisk)
        {
            yield return Element("ramdiskId", Ec2ImageIds.Format(Ec2ImageIds.Ramdisk, ramdisk));
        }
        yield return Element("monitoring", Element("state", "disabled"));
        yield return GroupSet(groups);
        if (instance.FaultMessage is { } fault)
        {
            yield return Element("stateReason", Element("code", "Server.InternalError"), Element("message", fault));
        }
        yield return Element("rootDeviceType", "instance-store");
        yield return Element("rootDeviceName", "/dev/vda");
        yield return Element("blockDeviceMapping");
        yield return Element("virtualizationType", "hvm");
        yield return Element("hypervisor", "kvm");
        // Not in EC2's model (botocore ignores unknown members); operators read it with the raw XML.
        if (instance.Host is { } host)
        {
            yield return Element("hostName", host);
        }
    }

    /// <summary>The reservation's members as RunInstances and DescribeInstances show them.</summary>
    public static IEnumerable<XElement> Reservation(IReadOnlyList<Instance> instances, Func<Instance, string> instanceType, IReadOnlyList<string> groups, ILookup<string, FixedAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(instances);
        yield return Element("reservationId", instances[0].ReservationId);
        yield return Element("ownerId", instances[0].ProjectId);
        yield return GroupSet(groups);
        yield return Set("instancesSet", instances.OrderBy(i => i.LaunchIndex).Select(i => Item(i, instanceType(i), groups,
            addresses[i.Uuid].FirstOrDefault(a => a.Type == FixedAddress.Fixed)?.Address, addresses[i.Uuid].FirstOrDefault(a => a.Type == FixedAddress.Floating)?.Address)));
    }

    /// <summary>The instance-state change TerminateInstances, StopInstances and StartInstances answer with.</summary>
    public static IEnumerable<XElement> StateChange(Instance before, Instance after) =>
    [
        Element("instanceId", before.Ec2Id),
        StateElement("currentState", after),
        StateElement("previousState", before),
    ];

    public static XElement GroupSet(IReadOnlyList<string> groups) =>
        Set("groupSet", groups.Select(g => (IEnumerable<XElement>)[Element("groupId", g), Element("groupName", g)]));

    /// <summary>EC2's timestamps: ISO 8601 UTC with milliseconds, which botocore parses.</summary>
    public static string Timestamp(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
