using Cloud.Modules.Identity;
using Cloud.Modules.Identity.ApplicationCredentials;
using Cloud.Modules.Identity.Ec2;
using Cloud.Modules.Identity.Db;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Db;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>Users, projects, roles, quotas and tokens behave the same on every database engine.</summary>
[TestFixture(typeof(SqliteHarness))]
[TestFixture(typeof(MySqlHarness), Category = "Integration")]
public sealed class IdentityContractTests<THarness> where THarness : IDbHarness, new()
{
    private THarness _harness = default!;
    private ManualClock _clock = null!;
    private IdentityApi _identity = null!;
    private TokenApi _tokens = null!;
    private Ec2CredentialsApi _ec2Credentials = null!;

    [SetUp]
    public async Task CreateAsync()
    {
        _harness = Harness.New<THarness>();
        await new MigrationRunner(_harness.Db, NullLogger<MigrationRunner>.Instance).SyncAsync(default);
        _clock = new ManualClock(DateTimeOffset.UtcNow);
        var flags = Options.Create(new IdentityFlags { TokenExpiration = 3600, TokenRevocationRefresh = 0 });
        var revocations = new TokenRevocations(_harness.Db, flags, _clock);
        _identity = IdentityApi.ForDatabase(_harness.Db, revocations, Options.Create(new QuotaFlags()), _clock);
        var passwords = new VerifiedPasswords(_clock);
        var applicationCredentials = new ApplicationCredentialsApi(new ApplicationCredentialStore(_harness.Db, _clock), _identity, revocations, passwords, flags, _clock);
        _tokens = new TokenApi(_identity, new TokenSigner(_harness.Db), revocations, passwords, new LoginThrottle(flags, _clock), applicationCredentials, flags, _clock);
        _ec2Credentials = new Ec2CredentialsApi(_harness.Db, _identity, flags, _clock);
        await _identity.CreateUserAsync("berendt", isAdmin: true, "pw-berendt", default);
        await _identity.CreateUserAsync("alice", isAdmin: false, "pw-alice", default);
        await _identity.CreateProjectAsync("testing", "berendt", null, default);
        await _identity.CreateProjectAsync("other", "alice", "Alice's", default);
    }

    [TearDown]
    public async Task DropAsync()
    {
        // Null when the set-up found a service missing (ignored on a developer's machine).
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    private Task<(string Token, TokenPayload Payload)> IssueAsync(string user, string password, string? project) =>
        _tokens.IssueForPasswordAsync(null, user, password, project is null ? null : new ProjectScope(null, project), null, default);

    [Test]
    public async Task A_user_gets_ec2_keys_and_a_hashed_password()
    {
        var alice = await _identity.GetUserAsync("alice", default);

        alice.AccessKey.Should().NotBeNullOrEmpty();
        alice.SecretKey.Should().NotBe(alice.AccessKey);
        alice.PasswordHash.Should().StartWith("pbkdf2-sha512$").And.NotContain("pw-alice");
        (await _identity.FindUserByAccessKeyAsync(alice.AccessKey, default))!.Name.Should().Be("alice");
    }

    [Test]
    public async Task Names_are_unique_and_checked()
    {
        await FluentActions.Awaiting(() => _identity.CreateUserAsync("alice", false, null, default))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Conflict);
        await FluentActions.Awaiting(() => _identity.CreateUserAsync("bad name", false, null, default))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Invalid);
        await FluentActions.Awaiting(() => _identity.CreateProjectAsync("testing", "alice", null, default))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Conflict);
        await FluentActions.Awaiting(() => _identity.CreateProjectAsync("x", "nobody", null, default))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.NotFound);
    }

    [Test]
    public async Task The_manager_is_the_first_member_and_roles_follow_membership()
    {
        (await _identity.MembersAsync("other", default)).Should().Equal("alice");
        var alice = await _identity.GetUserAsync("alice", default);

        (await _identity.RolesInProjectAsync(alice, await _identity.GetProjectAsync("other", default), default)).Should().Equal("member", "projectmanager", "reader");
        (await _identity.RolesInProjectAsync(alice, await _identity.GetProjectAsync("testing", default), default)).Should().BeEmpty();

        await _identity.AddMemberAsync("testing", "alice", default);
        await _identity.AddRoleAsync("alice", "netadmin", "testing", default);
        (await _identity.RolesInProjectAsync(alice, await _identity.GetProjectAsync("testing", default), default)).Should().Equal("member", "netadmin", "reader");
        await FluentActions.Awaiting(() => _identity.AddRoleAsync("alice", "emperor", "testing", default))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Invalid);
    }

    [Test]
    public async Task Quotas_default_from_flags_and_can_be_overridden_per_project()
    {
        await _identity.SetQuotaAsync("testing", "instances", 25, default);
        await _identity.SetQuotaAsync("testing", "instances", 30, default);

        var quotas = await _identity.QuotasAsync("testing", default);
        quotas["instances"].Should().Be(30);
        quotas["cores"].Should().Be(new QuotaFlags().Cores);
        (await _identity.QuotasAsync("other", default))["instances"].Should().Be(new QuotaFlags().Instances);
        await FluentActions.Awaiting(() => _identity.SetQuotaAsync("testing", "unicorns", 1, default))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Invalid);
    }

    [Test]
    public async Task A_projects_quotas_by_id_are_the_flags_under_the_default_class_under_its_own_values()
    {
        await _identity.SetQuotaClassAsync(IdentityApi.DefaultQuotaClass, new Dictionary<string, long> { ["instances"] = 40, ["cores"] = 50 }, default);
        await _identity.SetQuotaAsync("testing", "instances", 7, default);
        var testing = await _identity.GetProjectAsync("testing", default);
        var other = await _identity.GetProjectAsync("other", default);

        var quotas = await _identity.QuotasOfProjectAsync(testing.Id, default);

        quotas["instances"].Should().Be(7);
        quotas["cores"].Should().Be(50);
        quotas["ram"].Should().Be(new QuotaFlags().Ram);
        quotas.Should().BeEquivalentTo(await _identity.QuotasAsync("testing", default));
        (await _identity.QuotasOfProjectAsync(other.Id, default))["instances"].Should().Be(40);
        await FluentActions.Awaiting(() => _identity.QuotasOfProjectAsync("no-such-project", default))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.NotFound);
    }

    [Test]
    public async Task A_token_is_scoped_to_a_project_of_the_user_with_its_roles()
    {
        var (token, payload) = await IssueAsync("alice", "pw-alice", "other");

        payload.ProjectName.Should().Be("other");
        payload.Roles.Should().Contain("member");
        (await _tokens.ValidateAsync(token, default)).UserName.Should().Be("alice");
    }

    [Test]
    public async Task A_member_of_one_project_cannot_get_a_token_for_another()
    {
        await FluentActions.Awaiting(() => IssueAsync("alice", "pw-alice", "testing"))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Unauthorized);
    }

    [Test]
    public async Task A_wrong_password_and_an_unknown_user_get_the_same_answer()
    {
        var wrong = await FluentActions.Awaiting(() => IssueAsync("alice", "nope", null)).Should().ThrowAsync<CloudException>();
        var unknown = await FluentActions.Awaiting(() => IssueAsync("mallory", "nope", null)).Should().ThrowAsync<CloudException>();
        wrong.Which.Message.Should().Be(unknown.Which.Message);
    }

    [Test]
    public async Task An_admin_may_scope_to_any_project()
    {
        var (_, payload) = await IssueAsync("berendt", "pw-berendt", "other");

        payload.Roles.Should().Contain("admin");
    }

    [Test]
    public async Task A_token_can_be_rescoped_but_never_outlives_the_original()
    {
        var (unscoped, first) = await IssueAsync("alice", "pw-alice", null);
        _clock.Advance(TimeSpan.FromMinutes(10));

        var (_, rescoped) = await _tokens.IssueForTokenAsync(unscoped, new ProjectScope(null, "other"), default);

        rescoped.ProjectName.Should().Be("other");
        rescoped.ExpiresAt.Should().Be(first.ExpiresAt);
    }

    [Test]
    public async Task Expired_forged_revoked_and_deleted_users_tokens_are_refused()
    {
        var (token, payload) = await IssueAsync("alice", "pw-alice", "other");
        var (second, _) = await IssueAsync("alice", "pw-alice", "other");
        var (third, _) = await IssueAsync("berendt", "pw-berendt", "testing");

        await FluentActions.Awaiting(() => _tokens.ValidateAsync(token[..^2] + "xx", default)).Should().ThrowAsync<CloudException>();
        await FluentActions.Awaiting(() => _tokens.ValidateAsync("garbage", default)).Should().ThrowAsync<CloudException>();

        await _tokens.RevokeAsync(payload, default);
        await FluentActions.Awaiting(() => _tokens.ValidateAsync(token, default)).Should().ThrowAsync<CloudException>();
        (await _tokens.ValidateAsync(second, default)).UserName.Should().Be("alice", "revoking one token leaves the others");

        await _identity.DeleteUserAsync("alice", default);
        await FluentActions.Awaiting(() => _tokens.ValidateAsync(second, default)).Should().ThrowAsync<CloudException>();

        await _identity.DeleteProjectAsync("testing", default);
        await FluentActions.Awaiting(() => _tokens.ValidateAsync(third, default)).Should().ThrowAsync<CloudException>();

        var (late, _) = await IssueAsync("berendt", "pw-berendt", null);
        _clock.Advance(TimeSpan.FromSeconds(3601));
        await FluentActions.Awaiting(() => _tokens.ValidateAsync(late, default)).Should().ThrowAsync<CloudException>();
    }

    [Test]
    public async Task A_password_change_ends_the_users_tokens()
    {
        var (token, _) = await IssueAsync("alice", "pw-alice", null);
        _clock.Advance(TimeSpan.FromSeconds(1));

        await _identity.SetPasswordAsync("alice", "new-pw", default);

        await FluentActions.Awaiting(() => _tokens.ValidateAsync(token, default)).Should().ThrowAsync<CloudException>();
        _clock.Advance(TimeSpan.FromSeconds(1));
        (await IssueAsync("alice", "new-pw", null)).Payload.UserName.Should().Be("alice");
    }

    [Test]
    public async Task A_token_becomes_the_callers_request_context()
    {
        var authenticator = new AuthenticationApi(_tokens, _identity, new Ec2SignatureVerifier(), _ec2Credentials);
        var (token, payload) = await IssueAsync("alice", "pw-alice", "other");

        var context = await authenticator.FromTokenAsync(token, "req-x", "127.0.0.1", default);

        context.Should().BeEquivalentTo(new { UserId = payload.UserId, ProjectId = payload.ProjectId, IsAdmin = false, RequestId = "req-x" });
        await FluentActions.Awaiting(() => authenticator.FromTokenAsync(null, "req-y", null, default))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Unauthorized);
    }

    [Test]
    public async Task An_ec2_key_acts_in_the_named_project_only_if_the_user_is_a_member()
    {
        var authenticator = new AuthenticationApi(_tokens, _identity, new Ec2SignatureVerifier(), _ec2Credentials);
        var alice = await _identity.GetUserAsync("alice", default);
        var other = await _identity.GetProjectAsync("other", default);

        (await authenticator.FromEc2Async(new Ec2Secret(alice.AccessKey, alice.SecretKey, alice.Id), "r", null, default)).ProjectId.Should().Be(other.Id);
        (await authenticator.FromEc2Async(new Ec2Secret($"{alice.AccessKey}:other", alice.SecretKey, alice.Id, ProjectName: "other"), "r", null, default)).ProjectId.Should().Be(other.Id);
        await FluentActions.Awaiting(() => authenticator.FromEc2Async(new Ec2Secret($"{alice.AccessKey}:testing", alice.SecretKey, alice.Id, ProjectName: "testing"), "r", null, default))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Forbidden);
    }
}
