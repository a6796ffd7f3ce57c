using Cloud.Modules.Compute;
using Cloud.Modules.Kernel.Flags;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Compute;

/// <summary>Which guests are cloudd's (their names), whose they are, and the running_deleted_instance_* flags.</summary>
public sealed class GuestOwnersTests
{
    [TestCase("instance-0000002a", 42L)]
    [TestCase("instance-7f00beef", 0x7f00beefL)]
    [TestCase("instance-0000002A", null)]
    [TestCase("instance-2a", null)]
    [TestCase("instance-0000002a-rescue", null)]
    [TestCase("my-own-vm", null)]
    [TestCase("instance-+000002a", null)]
    public void A_guest_is_clouddS_only_when_its_name_is_the_instance_name_template(string name, long? id) =>
        Instance.IdOfName(name).Should().Be(id);

    [Test]
    public void A_guest_belongs_here_to_a_deleted_instance_to_none_elsewhere_or_to_a_move()
    {
        GuestOwners.Of(null, "c1").Should().Be(GuestOwner.Unknown);
        GuestOwners.Of(new Instance { Host = "c1", Deleted = true }, "c1").Should().Be(GuestOwner.Deleted);
        GuestOwners.Of(new Instance { Host = "c1" }, "c1").Should().Be(GuestOwner.Here);
        GuestOwners.Of(new Instance { Host = "c2" }, "c1").Should().Be(GuestOwner.Elsewhere);
        GuestOwners.Of(new Instance { Host = null }, "c1").Should().Be(GuestOwner.Elsewhere);
        GuestOwners.Of(new Instance { Host = "c2", TaskState = TaskStates.ResizeFinish }, "c1").Should().Be(GuestOwner.Moving);
    }

    [Test]
    public void The_flags_default_as_nova_and_refuse_what_cannot_work()
    {
        var flags = new ComputeFlags();
        (flags.RunningDeletedInstanceAction, flags.RunningDeletedInstancePollInterval, flags.RunningDeletedInstanceTimeout).Should().Be(("reap", 60, 0));

        FluentActions.Invoking(() => new ComputeFlags { RunningDeletedInstanceAction = "destroy" }.Validate())
            .Should().Throw<FlagException>().WithMessage("*running_deleted_instance_action*destroy*noop, log, shutdown or reap*");
        FluentActions.Invoking(() => new ComputeFlags { RunningDeletedInstancePollInterval = -1 }.Validate())
            .Should().Throw<FlagException>().WithMessage("*running_deleted_instance_poll_interval*");
        FluentActions.Invoking(() => new ComputeFlags { RunningDeletedInstanceTimeout = -5 }.Validate())
            .Should().Throw<FlagException>().WithMessage("*running_deleted_instance_timeout*");
    }
}
