using Cloud.Host;
using Cloud.Modules.Kernel.Flags;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

public sealed class RoleSelectionTests
{
    [Test]
    public void All_runs_every_role() =>
        RoleSelection.Parse("all", ModuleCatalog.All).Should().Equal(ModuleCatalog.All.Where(m => m.IsRole));

    [Test]
    public void Roles_start_in_catalog_order_once_each() =>
        RoleSelection.Parse("compute, api,compute", ModuleCatalog.All).Select(m => m.Role).Should().Equal("api", "compute");

    [Test]
    public void Every_role_of_the_issue_exists() =>
        ModuleCatalog.All.Where(m => m.IsRole).Select(m => m.Role).Should().BeEquivalentTo(
            "api", "scheduler", "compute", "network", "volume", "glance", "swift-proxy", "swift-storage");

    [Test]
    public void Both_swift_roles_log_to_swift_log() =>
        ModuleCatalog.All.Where(m => m.Role.StartsWith("swift", StringComparison.Ordinal)).Select(m => m.LogName).Should().AllBe("swift");

    [TestCase("computer", "unknown role 'computer'")]
    [TestCase("volumes", "unknown role 'volumes'")]
    [TestCase("", "--roles is required")]
    public void A_bad_role_is_refused(string roles, string message) =>
        ((Action)(() => RoleSelection.Parse(roles, ModuleCatalog.All))).Should().Throw<FlagException>().Which.Message.Should().Contain(message);
}
