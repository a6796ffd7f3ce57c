using Cloud.Modules.Api.Ec2;
using Cloud.Modules.Api.OpenStack;
using Cloud.Modules.Compute;
using Cloud.Modules.Identity.Ec2;
using Cloud.Modules.Kernel.Auth;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Api;

/// <summary>How the compute APIs name things: EC2 image ids, EC2 states and nova statuses, botocore's flattened parameters.</summary>
public sealed class Ec2ViewTests
{
    [Test]
    public void An_image_id_is_the_prefix_and_the_first_eight_hex_digits_of_the_glance_id_and_reads_back()
    {
        var id = Ec2ImageIds.Format(Ec2ImageIds.Machine, "0A1B2C3D-4e5f-6789-abcd-ef0123456789");

        id.Should().Be("ami-0a1b2c3d");
        Ec2ImageIds.DigitsOf(id).Should().Be("0a1b2c3d");
        Ec2ImageIds.DigitsOf("aki-0a1b2c3d").Should().Be("0a1b2c3d");
        Ec2ImageIds.DigitsOf("ami-xyz").Should().BeNull();
        Ec2ImageIds.DigitsOf("i-0a1b2c3d").Should().BeNull();
    }

    [Test]
    public void A_glance_id_that_does_not_start_with_hex_still_gets_a_stable_id()
    {
        var first = Ec2ImageIds.Format(Ec2ImageIds.Kernel, "my-kernel");

        first.Should().MatchRegex("^aki-[0-9a-f]{8}$").And.Be(Ec2ImageIds.Format(Ec2ImageIds.Kernel, "my-kernel"));
        Ec2ImageIds.PrefixOf("aki").Should().Be("aki");
        Ec2ImageIds.PrefixOf("bare").Should().Be("ami");
    }

    [TestCase(VmStates.Building, TaskStates.Scheduling, 0, "pending", "BUILD")]
    [TestCase(VmStates.Active, null, 16, "running", "ACTIVE")]
    [TestCase(VmStates.Active, TaskStates.Deleting, 32, "shutting-down", "ACTIVE")]
    [TestCase(VmStates.Deleted, null, 48, "terminated", "DELETED")]
    [TestCase(VmStates.Active, TaskStates.PoweringOff, 64, "stopping", "ACTIVE")]
    [TestCase(VmStates.Stopped, null, 80, "stopped", "SHUTOFF")]
    [TestCase(VmStates.Active, TaskStates.Rebooting, 16, "running", "REBOOT")]
    [TestCase(VmStates.Error, null, 0, "error", "ERROR")]
    public void States_follow_vm_state_and_task_state(string vmState, string? taskState, int code, string ec2Name, string novaStatus)
    {
        var instance = new Instance { VmState = vmState, TaskState = taskState };

        Ec2InstanceXml.State(instance).Should().Be((code, ec2Name));
        ServerView.Status(instance).Should().Be(novaStatus);
    }

    [Test]
    public void Flattened_lists_structures_and_filters_are_read_in_index_order()
    {
        var call = Call(
            ("InstanceId.2", "i-2"), ("InstanceId.1", "i-1"),
            ("Filter.1.Name", "key-name"), ("Filter.1.Value.1", "k1"), ("Filter.1.Value.2", "k2"),
            ("IpPermissions.1.IpProtocol", "tcp"), ("IpPermissions.1.IpRanges.1.CidrIp", "10.0.0.0/8"));

        call.List("InstanceId").Should().Equal("i-1", "i-2");
        call.Filters().Should().ContainSingle().Which.Values.Should().Equal("k1", "k2");
        var permission = call.Structures("IpPermissions").Should().ContainSingle().Subject;
        permission.Get("IpProtocol").Should().Be("tcp");
        permission.Structures("IpRanges").Single().Get("CidrIp").Should().Be("10.0.0.0/8");
    }

    [Test]
    public void A_filter_without_values_or_a_bad_index_is_InvalidParameterValue()
    {
        FluentActions.Invoking(() => Call(("Filter.1.Name", "key-name")).Filters())
            .Should().Throw<Ec2ActionException>().Which.Code.Should().Be("InvalidParameterValue");
        FluentActions.Invoking(() => Call(("InstanceId.x", "i-1")).List("InstanceId"))
            .Should().Throw<Ec2ActionException>().Which.Code.Should().Be("InvalidParameterValue");
        FluentActions.Invoking(() => Call().Required("ImageId"))
            .Should().Throw<Ec2ActionException>().Which.Code.Should().Be("MissingParameter");
    }

    private static Ec2Call Call(params (string Name, string Value)[] parameters) =>
        new(RequestContext.Service(), new Ec2Request("POST", "127.0.0.1", "/services/Cloud",
            [.. parameters.Select(p => KeyValuePair.Create(p.Name, p.Value))], [],
            new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase), ReadOnlyMemory<byte>.Empty), "req-1", default);
}
