using Cloud.Modules.Swift.Proxy;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Proxy;

/// <summary>Container ACLs (clean_acl, referrer rules) and account ACLs (tempauth's checks), with Swift 2.30's messages.</summary>
public sealed class SwiftAclSyntaxTests
{
    [TestCase(".r:*, .rlistings", ".r:*,.rlistings")]
    [TestCase(".referrer:*.example.com,test:tester3", ".r:.example.com,test:tester3")]
    [TestCase(".ref: - bad.example.com", ".r:-bad.example.com")]
    [TestCase("a,,b ", "a,b")]
    public void Clean_normalises_a_read_acl_as_swift_stores_it(string sent, string stored) =>
        ContainerAcl.Clean("X-Container-Read", sent).Should().Be(stored);

    [TestCase("X-Container-Read", ".r:", "No host/domain value after referrer designation in ACL: '.r:'")]
    [TestCase("X-Container-Read", ".r:-.", "No host/domain value after referrer designation in ACL: '.r:-.'")]
    [TestCase("X-Container-Read", ".x:foo", "Unknown designator '.x' in ACL: '.x:foo'")]
    [TestCase("X-Container-Write", ".r:*", "Referrers not allowed in write ACL: '.r:*'")]
    public void Clean_refuses_what_swift_refuses_with_its_message(string header, string sent, string message) =>
        FluentActions.Invoking(() => ContainerAcl.Clean(header, sent)).Should().Throw<FormatException>().WithMessage(message);

    [TestCase(".r:*,.r:-bad.example.com", "http://bad.example.com/x", false)]
    [TestCase(".r:*,.r:-bad.example.com", "http://good.example.com/x", true)]
    [TestCase(".r:.example.com", "http://www.example.com/", true)]
    [TestCase(".r:.example.com", "http://example.org/", false)]
    [TestCase(".r:.example.com", null, false)]
    [TestCase(".r:*", null, true)]
    public void Referrer_rules_admit_objects_reads_by_the_referers_host(string acl, string? referer, bool allowed) =>
        ContainerAcl.AllowsRead(acl, [], listing: false, referer).Should().Be(allowed);

    [Test]
    public void A_referrer_admitted_caller_lists_only_with_rlistings_unless_named()
    {
        ContainerAcl.AllowsRead(".r:*", ["test:u"], listing: true, null).Should().BeFalse();
        ContainerAcl.AllowsRead(".r:*,.rlistings", [], listing: true, null).Should().BeTrue();
        ContainerAcl.AllowsRead(".r:*,test:u", ["test:u"], listing: true, null).Should().BeTrue("a named grant stands, as Swift 2.30 answers");
    }

    [TestCase("", "")]
    [TestCase("{}", "")]
    [TestCase("{\"read-only\": [\"b\", \"a\"], \"admin\": [\"x:y\"]}", "{\"admin\":[\"x:y\"],\"read-only\":[\"b\",\"a\"]}")]
    [TestCase("{\"read-write\": [\"caf\u00e9\"]}", "{\"read-write\":[\"caf\\u00e9\"]}")]
    public void Check_accepts_an_account_acl_and_gives_it_as_swift_shows_it(string sent, string shown) =>
        AccountAcl.Check(sent).Should().Be((shown, null));

    [TestCase("not json", "Syntax error in input ('not json')")]
    [TestCase("[]", "Syntax error in input ('[]')")]
    [TestCase("{\"owner\": []}", "Key \"owner\" not recognized")]
    [TestCase("{\"read-only\": \"a\"}", "Value for key \"read-only\" must be a list")]
    [TestCase("{\"admin\": [1]}", "Elements of \"admin\" list must be strings")]
    [TestCase("{\"a\": 1, \"a\": 2}", "Key \"a\" not recognized")]
    public void Check_refuses_an_account_acl_with_tempauths_message(string sent, string error) =>
        AccountAcl.Check(sent).Error.Should().Be(error);

    [Test]
    public void Parse_reads_the_grants_of_a_stored_account_acl()
    {
        var acl = AccountAcl.Parse("{\"admin\":[\"a:b\"],\"read-only\":[\"c\"]}")!;

        acl.Admin.Should().BeEquivalentTo(["a:b"]);
        acl.ReadOnly.Should().BeEquivalentTo(["c"]);
        acl.ReadWrite.Should().BeEmpty();
        AccountAcl.Parse("{}").Should().BeNull();
        AccountAcl.Parse("garbage").Should().BeNull();
    }

    [TestCase("it's", "\"it's\"")]
    [TestCase("a'\"b", "'a\\'\"b'")]
    [TestCase("tab\there", "'tab\\there'")]
    public void Repr_quotes_as_python(string value, string repr) => PythonText.Repr(value).Should().Be(repr);
}
