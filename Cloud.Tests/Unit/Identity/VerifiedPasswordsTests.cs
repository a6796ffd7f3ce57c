using Cloud.Modules.Identity;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Identity;

public sealed class VerifiedPasswordsTests
{
    private static readonly string Hash = PasswordHasher.Hash("right");

    [Test]
    public void A_remembered_password_still_refuses_a_wrong_one()
    {
        var cache = new VerifiedPasswords(TimeProvider.System);

        cache.Verify("right", Hash).Should().BeTrue();
        cache.Verify("right", Hash).Should().BeTrue();
        cache.Verify("wrong", Hash).Should().BeFalse();
        cache.Verify("right", null).Should().BeFalse();
    }

    [Test]
    public void A_new_stored_hash_is_checked_afresh()
    {
        var cache = new VerifiedPasswords(TimeProvider.System);
        cache.Verify("right", Hash).Should().BeTrue();

        cache.Verify("right", PasswordHasher.Hash("changed")).Should().BeFalse();
    }

    [Test]
    public void Entries_expire()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var cache = new VerifiedPasswords(clock);
        cache.Verify("right", Hash).Should().BeTrue();

        clock.Advance(TimeSpan.FromMinutes(6));

        cache.Verify("right", Hash).Should().BeTrue("a miss falls back to the real check");
        cache.Verify("wrong", Hash).Should().BeFalse();
    }
}
