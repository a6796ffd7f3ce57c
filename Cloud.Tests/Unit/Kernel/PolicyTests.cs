using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

public sealed class PolicyTests
{
    private static RequestContext Member(string project) => new("u1", project, false, ["member"], "req-1");

    private static readonly RequestContext Admin = new("u0", "p0", true, ["admin", "member"], "req-0");

    private static readonly RequestContext Anonymous = new(null, null, false, [], "req-2");

    [Test]
    public void A_member_acts_only_on_their_own_project()
    {
        Policy.RequireProject(Member("a"), "a");

        ((Action)(() => Policy.RequireProject(Member("a"), "b"))).Should().Throw<CloudException>().Which.Kind.Should().Be(CloudErrorKind.Forbidden);
    }

    [Test]
    public void An_admin_acts_on_any_project_and_only_admins_pass_RequireAdmin()
    {
        Policy.RequireProject(Admin, "b");
        Policy.RequireAdmin(Admin);

        ((Action)(() => Policy.RequireAdmin(Member("a")))).Should().Throw<CloudException>().Which.Kind.Should().Be(CloudErrorKind.Forbidden);
    }

    [Test]
    public void Nobody_unauthenticated_passes_anything()
    {
        ((Action)(() => Policy.RequireProject(Anonymous, "a"))).Should().Throw<CloudException>().Which.Kind.Should().Be(CloudErrorKind.Unauthorized);
        ((Action)(() => Policy.RequireScoped(Member("a") with { ProjectId = null }))).Should().Throw<CloudException>().Which.Kind.Should().Be(CloudErrorKind.Unauthorized);
    }
}
