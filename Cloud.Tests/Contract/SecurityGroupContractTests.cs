using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>Security groups, rules and key pairs with their quotas, on each database engine.</summary>
[TestFixture(typeof(SqliteHarness))]
[TestFixture(typeof(MySqlHarness), Category = "Integration")]
public sealed class SecurityGroupContractTests<THarness> where THarness : IDbHarness, new()
{
    private THarness _harness = default!;
    private ComputeTestCloud _cloud = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _harness = Harness.New<THarness>();
        _cloud = await ComputeTestCloud.StartAsync(_harness.Db, serveScheduler: false);
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    private SecurityGroupApi Groups => _cloud.SecurityGroups;

    [Test]
    public async Task Every_project_gets_one_default_group_that_cannot_be_deleted()
    {
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Groups.ListAsync(_cloud.Alice, false, default)));

        (await Groups.ListAsync(_cloud.Alice, false, default)).Select(g => g.Name).Should().Equal("default");
        await FluentActions.Awaiting(() => Groups.DeleteAsync(_cloud.Alice, "default", default))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Invalid);
    }

    [Test]
    public async Task Rules_are_added_listed_refused_when_repeated_or_bad_and_revoked()
    {
        var ssh = await Groups.AddRuleAsync(_cloud.Alice, "default", new SecurityGroupRuleSpec("tcp", 22, 22, "0.0.0.0/0", null), default);
        await Groups.AddRuleAsync(_cloud.Alice, "default", new SecurityGroupRuleSpec("icmp", -1, -1, null, null), default);
        await Groups.CreateAsync(_cloud.Alice, "web", "web servers", default);
        await Groups.AddRuleAsync(_cloud.Alice, "web", new SecurityGroupRuleSpec("tcp", 80, 80, null, "default"), default);

        await FluentActions.Awaiting(() => Groups.AddRuleAsync(_cloud.Alice, "default", new SecurityGroupRuleSpec("tcp", 22, 22, null, null), default))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Conflict);
        await FluentActions.Awaiting(() => Groups.AddRuleAsync(_cloud.Alice, "default", new SecurityGroupRuleSpec("tcp", 22, 22, "10.1.2.0/99", null), default))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Invalid);

        var web = await Groups.GetAsync(_cloud.Alice, "web", default);
        var source = await Groups.GetAsync(_cloud.Alice, "default", default);
        web.Rules.Should().ContainSingle().Which.GroupId.Should().Be(source.Id);
        source.Rules.Select(r => (r.Protocol, r.FromPort, r.ToPort, r.Cidr)).Should().Equal(("tcp", 22, 22, "0.0.0.0/0"), ("icmp", -1, -1, "0.0.0.0/0"));

        await Groups.RevokeRuleAsync(_cloud.Alice, "default", new SecurityGroupRuleSpec("icmp", -1, -1, null, null), default);
        await Groups.DeleteRuleAsync(_cloud.Alice, ssh.Id, default);
        (await Groups.GetAsync(_cloud.Alice, "default", default)).Rules.Should().BeEmpty();
        await FluentActions.Awaiting(() => Groups.DeleteRuleAsync(_cloud.Bob, web.Rules[0].Id, default))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.NotFound);
        await Groups.DeleteAsync(_cloud.Alice, "web", default);
    }

    [Test]
    public async Task Security_group_and_key_pair_quotas_are_enforced()
    {
        await _cloud.Identity.SetQuotaAsync("alpha", "security_groups", 2, default);
        await _cloud.Identity.SetQuotaAsync("alpha", "key_pairs", 1, default);

        await Groups.CreateAsync(_cloud.Alice, "one", "", default);
        await FluentActions.Awaiting(() => Groups.CreateAsync(_cloud.Alice, "two", "", default))
            .Should().ThrowAsync<CloudException>().WithMessage("Quota exceeded for security_groups: Requested 1, but already used 2 of 2 security_groups");
        await _cloud.KeyPairs.CreateAsync(_cloud.Alice, "k1", default);
        await FluentActions.Awaiting(() => _cloud.KeyPairs.CreateAsync(_cloud.Alice, "k2", default))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Forbidden);
    }

    [Test]
    public async Task Key_pairs_are_imported_listed_and_deleted_and_names_are_unique_per_user()
    {
        var generated = await _cloud.KeyPairs.CreateAsync(_cloud.Alice, "mykey", default);
        var imported = await _cloud.KeyPairs.ImportAsync(_cloud.Alice, "laptop", generated.KeyPair.PublicKey, default);

        imported.Fingerprint.Should().Be(generated.KeyPair.Fingerprint);
        (await _cloud.KeyPairs.ListAsync(_cloud.Alice, default)).Select(k => k.Name).Should().Equal("laptop", "mykey");
        await FluentActions.Awaiting(() => _cloud.KeyPairs.CreateAsync(_cloud.Alice, "mykey", default))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Conflict);
        await FluentActions.Awaiting(() => _cloud.KeyPairs.ImportAsync(_cloud.Alice, "bad", "ssh-rsa AAAA", default))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Invalid);
        (await _cloud.KeyPairs.CreateAsync(_cloud.Bob, "mykey", default)).KeyPair.UserId.Should().NotBe(generated.KeyPair.UserId);
        await _cloud.KeyPairs.DeleteAsync(_cloud.Alice, "mykey", default);
        (await _cloud.KeyPairs.ListAsync(_cloud.Alice, default)).Select(k => k.Name).Should().Equal("laptop");
    }
}
