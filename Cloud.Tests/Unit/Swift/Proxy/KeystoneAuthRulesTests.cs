using Cloud.Modules.Swift.Proxy.KeystoneAuth;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Proxy;

/// <summary>swift's keystoneauth rules (its test_keystoneauth.py's cases, in cloudd's flags' words).</summary>
public sealed class KeystoneAuthRulesTests
{
    private static KeystoneIdentity Caller(string project, params string[] roles) => new("u1", project, roles, []);

    [Test]
    public void Defaults_are_keystoneauths()
    {
        var rules = KeystoneAuthRules.Default;
        rules.ResellerPrefixes.Should().Equal("AUTH_");
        rules.ResellerAdminRole.Should().Be("reselleradmin");
        rules.Owns(Caller("p1", "member"), "GET", "AUTH_p1", false).Should().BeFalse("member is no operator role");
        rules.Owns(Caller("p1", "SwiftOperator"), "GET", "AUTH_p1", false).Should().BeTrue("roles compare lowered");
        rules.Owns(Caller("p1", "admin"), "GET", "AUTH_p1", false).Should().BeTrue();
        rules.Owns(Caller("p1", "admin"), "GET", "AUTH_p2", false).Should().BeFalse("admin operates its own project's account only");
        rules.Owns(Caller("p1", "ResellerAdmin"), "GET", "AUTH_p2", false).Should().BeTrue();
    }

    [Test]
    public void Only_a_reseller_admin_deletes_an_account()
    {
        var rules = KeystoneAuthRules.Default;
        rules.Owns(Caller("p1", "admin"), "DELETE", "AUTH_p1", accountRequest: true).Should().BeFalse();
        rules.Owns(Caller("p1", "admin"), "DELETE", "AUTH_p1", accountRequest: false).Should().BeTrue("deleting a container or object is an owner's");
        rules.Owns(Caller("p1", "ResellerAdmin"), "DELETE", "AUTH_p2", accountRequest: true).Should().BeTrue();
    }

    [Test]
    public void Each_prefix_is_its_own_namespace_and_an_unlisted_one_is_not_ours()
    {
        var rules = KeystoneAuthRules.Parse("AUTH, SERVICE_, AUTH", KeystoneAuthRules.DefaultOperatorRoles, "", "ResellerAdmin");
        rules.ResellerPrefixes.Should().Equal("AUTH_", "SERVICE_");
        rules.Owns(Caller("p1", "admin"), "PUT", "SERVICE_p1", false).Should().BeTrue();
        rules.Owns(Caller("p1", "admin"), "PUT", "OTHER_p1", false).Should().BeFalse();
        rules.PrefixOf("OTHER_p1").Should().BeNull();
        rules.AccountMatchesProject("SERVICE_p1", "p1").Should().BeTrue();
        rules.AccountMatchesProject("AUTH_p1", null).Should().BeFalse("an unscoped token has no account");
        KeystoneAuthRules.Parse("''", "admin", "", "ResellerAdmin").PrefixOf("anything").Should().Be("");
    }

    [Test]
    public void A_prefix_with_service_roles_needs_a_service_token_whose_user_holds_one()
    {
        var rules = KeystoneAuthRules.Parse("AUTH, SERVICE", "admin, swiftoperator; SERVICE=swiftoperator", "SERVICE=service", "ResellerAdmin");
        var user = Caller("p1", "swiftoperator");
        rules.Owns(user, "PUT", "AUTH_p1", false).Should().BeTrue("AUTH_ has no service roles");
        rules.Owns(user, "PUT", "SERVICE_p1", false).Should().BeFalse("no service token");
        rules.Owns(user with { ServiceRoles = ["member"] }, "PUT", "SERVICE_p1", false).Should().BeFalse("the service token's user lacks the service role");
        rules.Owns(user with { ServiceRoles = ["Service"] }, "PUT", "SERVICE_p1", false).Should().BeTrue();
        rules.Owns(Caller("p1", "admin") with { ServiceRoles = ["service"] }, "PUT", "SERVICE_p1", false).Should().BeFalse("SERVICE_'s own operator roles replace the common ones");
        rules.Owns(Caller("p1", "member") with { ServiceRoles = ["service"] }, "PUT", "SERVICE_p1", false).Should().BeFalse("a service token alone owns nothing");
    }

    [Test]
    public void Acl_names_are_project_and_user_ids_with_wildcards_and_roles_in_the_own_account()
    {
        var rules = KeystoneAuthRules.Default;
        var caller = new KeystoneIdentity("u1", "p1", ["member"], []);
        rules.AclNames(caller, "AUTH_p1").Should().BeEquivalentTo("p1:u1", "p1:*", "*:u1", "*:*", "member");
        rules.AclNames(caller, "AUTH_p2").Should().BeEquivalentTo("p1:u1", "p1:*", "*:u1", "*:*");
        rules.AclNames(caller with { ProjectId = null }, "AUTH_p1").Should().BeEmpty();
        var named = caller with { UserName = "carol", ProjectName = "third" };
        rules.AclNames(named, "AUTH_p2").Should().NotContain("third:carol", "names count only in the default domain");
        rules.AclNames(named with { NamesInDefaultDomain = true }, "AUTH_p2").Should().Contain(["third:carol", "third:u1", "p1:carol", "*:carol", "third:*"]);
    }

    [TestCase("AUTH/", "admin", "", "ResellerAdmin", "swift_reseller_prefix 'AUTH/'")]
    [TestCase("AUTH", "admin; SERVICE=admin", "", "ResellerAdmin", "swift_operator_roles 'admin; SERVICE=admin' names prefix 'SERVICE'")]
    [TestCase("AUTH", "admin", "OTHER=service", "ResellerAdmin", "swift_service_roles 'OTHER=service' names prefix 'OTHER'")]
    [TestCase("AUTH", "admin", "", " ", "swift_reseller_admin_role ' '")]
    public void Bad_options_are_refused_naming_the_option(string prefix, string operators, string services, string resellerAdmin, string message) =>
        FluentActions.Invoking(() => KeystoneAuthRules.Parse(prefix, operators, services, resellerAdmin))
            .Should().Throw<ArgumentException>().Which.Message.Should().StartWith(message);
}
