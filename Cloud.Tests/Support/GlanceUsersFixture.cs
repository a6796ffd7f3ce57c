using NUnit.Framework;

namespace Cloud.Tests.Support;

/// <summary>
/// Base of the image API tests: one <c>cloudd --roles=api,glance</c> per fixture, raw HTTP to it, and three users'
/// project tokens: alice (project other) and bob (project third) are plain members; berendt (project testing) is an admin.
/// </summary>
public abstract class GlanceUsersFixture
{
    private const string BobPassword = "bob-secret";

    protected ApiCloud Cloud { get; private set; } = null!;

    protected GlanceHttp Glance { get; private set; } = null!;

    protected string Alice { get; private set; } = "";

    protected string Bob { get; private set; } = "";

    protected string Admin { get; private set; } = "";

    /// <summary>The id of bob's project, third.</summary>
    protected string BobProject { get; private set; } = "";

    [OneTimeSetUp]
    public async Task StartCloudAsync()
    {
        Cloud = await ApiCloud.StartAsync(roles: "api,glance");
        await Cloud.ManageAsync("user", "create", "bob", $"--password={BobPassword}");
        BobProject = (await Cloud.ManageAsync("project", "create", "third", "bob")).Split('(', ')')[1];
        Glance = new GlanceHttp(Cloud);
        Alice = await Glance.TokenAsync("alice", ApiCloud.UserPassword, "other");
        Bob = await Glance.TokenAsync("bob", BobPassword, "third");
        Admin = await Glance.TokenAsync("berendt", ApiCloud.AdminPassword, "testing");
    }

    [OneTimeTearDown]
    public async Task StopCloudAsync()
    {
        Glance.Dispose();
        await Cloud.DisposeAsync();
    }
}
