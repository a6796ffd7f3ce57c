using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Cloud.Modules.Compute;
using Cloud.Modules.Network;
using static Cloud.Modules.Api.Ec2.Ec2Xml;
using static Cloud.Modules.Api.Ec2.Ec2XmlWriting;

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

    /// <summary>One <c>instancesSet</c> item's members.</summary>
    /// <param name="writer">The answer's writer.</param>
    /// <param name="instance">The instance.</param>
    /// <param name="instanceType">Its flavor's name.</param>
    /// <param name="groups">Its security groups.</param>
    /// <param name="privateIp">Its fixed IP.</param>
    /// <param name="publicIp">Its floating IP: nova's ipAddress and dnsName are the floating IP, else the fixed IP.</param>
    public static void WriteItem(XmlWriter writer, Instance instance, string instanceType, IReadOnlyList<string> groups, string? privateIp, string? publicIp = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        Text(writer, "instanceId", instance.Ec2Id);
        Text(writer, "imageId", Ec2ImageIds.Format(Ec2ImageIds.Machine, instance.ImageRef));
        Ec2XmlWriting.Element(writer, "instanceState", instance, WriteState);
        Text(writer, "privateDnsName", instance.Name);
        Text(writer, "dnsName", publicIp ?? "");
        if (privateIp is not null)
        {
            Text(writer, "privateIpAddress", privateIp);
        }
        if ((publicIp ?? privateIp) is { } ipAddress)
        {
            Text(writer, "ipAddress", ipAddress);
        }
        Text(writer, "reason", instance.FaultMessage ?? "");
        if (instance.KeyName is { } key)
        {
            Text(writer, "keyName", key);
        }
        Number(writer, "amiLaunchIndex", instance.LaunchIndex);
        Text(writer, "instanceType", instanceType);
        Text(writer, "launchTime", Timestamp(instance.LaunchedAt ?? instance.CreatedAt));
        Ec2XmlWriting.Element(writer, "placement", instance.AvailabilityZone ?? "nova", static (w, zone) => Text(w, "availabilityZone", zone));
        if (instance.KernelId is { } kernel)
        {
            Text(writer, "kernelId", Ec2ImageIds.Format(Ec2ImageIds.Kernel, kernel));
        }
        if (instance.RamdiskId is { } ramdisk)
        {
            Text(writer, "ramdiskId", Ec2ImageIds.Format(Ec2ImageIds.Ramdisk, ramdisk));
        }
        Ec2XmlWriting.Element(writer, "monitoring", "disabled", static (w, state) => Text(w, "state", state));
        WriteGroupSet(writer, groups);
        if (instance.FaultMessage is { } fault)
        {
            Ec2XmlWriting.Element(writer, "stateReason", fault, static (w, message) =>
            {
                Text(w, "code", "Server.InternalError");
                Text(w, "message", message);
            });
        }
        Text(writer, "rootDeviceType", "instance-store");
        Text(writer, "rootDeviceName", "/dev/vda");
        Empty(writer, "blockDeviceMapping");
        Text(writer, "virtualizationType", "hvm");
        Text(writer, "hypervisor", "kvm");
        // Not in EC2's model (botocore ignores unknown members); operators read it with the raw XML.
        if (instance.Host is { } host)
        {
            Text(writer, "hostName", host);
        }
    }

    /// <summary>The reservation's members as RunInstances and DescribeInstances show them.</summary>
    public static void WriteReservation(XmlWriter writer, IReadOnlyList<Instance> instances, Func<Instance, string> instanceType, IReadOnlyList<string> groups, ILookup<string, FixedAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(instanceType);
        ArgumentNullException.ThrowIfNull(addresses);
        Text(writer, "reservationId", instances[0].ReservationId);
        Text(writer, "ownerId", instances[0].ProjectId);
        WriteGroupSet(writer, groups);
        Ec2XmlWriting.Set(writer, "instancesSet", instances.OrderBy(i => i.LaunchIndex), (w, i) =>
        {
            var own = addresses[i.Uuid];
            WriteItem(w, i, instanceType(i), groups, own.FirstOrDefault(a => a.Type == FixedAddress.Fixed)?.Address, own.FirstOrDefault(a => a.Type == FixedAddress.Floating)?.Address);
        });
    }

    /// <summary>The instance-state change TerminateInstances, StopInstances and StartInstances answer with.</summary>
    public static IEnumerable<XElement> StateChange(Instance before, Instance after) =>
    [
        Element("instanceId", before.Ec2Id),
        StateElement("currentState", after),
        StateElement("previousState", before),
    ];

    private static void WriteGroupSet(XmlWriter writer, IReadOnlyList<string> groups) =>
        Ec2XmlWriting.Set(writer, "groupSet", groups, static (w, g) =>
        {
            Text(w, "groupId", g);
            Text(w, "groupName", g);
        });

    private static void WriteState(XmlWriter writer, Instance instance)
    {
        var (code, state) = State(instance);
        Number(writer, "code", code);
        Text(writer, "name", state);
    }

    /// <summary>EC2's timestamps: ISO 8601 UTC with milliseconds, which botocore parses.</summary>
    public static string Timestamp(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
