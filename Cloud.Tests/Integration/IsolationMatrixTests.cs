using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Issue 15, item 7a: two projects see and change nothing of each other's. Project A owns one of every resource
/// (<see cref="TwoProjectsCloud"/>); a member of project B sends every cell of <see cref="IsolationMatrixTable"/> at
/// them, through every API that serves the resource, and must get the real service's "not yours" answer while A's
/// resource reads the same before and after. An admin of a third project keeps an admin's powers, as in nova, but
/// its default listings show its own project only.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class IsolationMatrixTests
{
    private TwoProjectsCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await TwoProjectsCloud.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    private static IEnumerable<TestCaseData> Cells() =>
        IsolationMatrixTable.Cells.Select(c => new TestCaseData(c).SetArgDisplayNames($"{c.Resource} | {c.Verb} | {c.Api} | {c.Method} {c.Path}"));

    [TestCaseSource(nameof(Cells))]
    public async Task A_member_of_another_project_neither_sees_nor_changes_the_resource(IsolationCell cell)
    {
        var row = IsolationMatrixTable.RowOf(cell);
        var before = await StateAsync(row);
        var request = $"{cell.Api} {cell.Method} {_cloud.Fill(cell.Path)}{(cell.Body is null ? "" : " " + _cloud.Fill(cell.Body))}";

        var answer = await _cloud.SendAsync(TwoProjectsCloud.MemberOfB, cell.Api, cell.Method, _cloud.Fill(cell.Path), cell.Body is null ? null : _cloud.Fill(cell.Body));

        var because = $"{cell.Resource} / {cell.Verb} / {cell.Api}: {TwoProjectsCloud.MemberOfB} (project B) sent {request} and got {answer}";
        answer.Status.Should().BeOneOf(cell.Statuses, because);
        foreach (var absent in cell.Absent.Select(_cloud.Fill))
        {
            answer.Body.Should().NotContain(absent, because);
        }
        if (cell.Ec2Code is { } code)
        {
            code.Split('|').Should().Contain(c => answer.Body.Contains($"<Code>{c}</Code>", StringComparison.Ordinal), because);
        }
        (await StateAsync(row)).Should().Be(before, $"A's {cell.Resource} must be unchanged after {because}");
    }

    private static IEnumerable<TestCaseData> Shows() =>
        IsolationMatrixTable.Cells.Where(c => c.Verb == "show" && c.Api != "ec2" && !c.Path.Contains("_b}", StringComparison.Ordinal))
            .Select(c => new TestCaseData(c).SetArgDisplayNames($"{c.Resource} | {c.Api} | {c.Method} {c.Path}"));

    /// <summary>The control: each show B is refused (but those naming B's own user or project) answers A, so a refusal means "not yours", not a wrong route.</summary>
    [TestCaseSource(nameof(Shows))]
    public async Task The_owner_gets_what_the_other_project_is_refused(IsolationCell cell)
    {
        var answer = await _cloud.SendAsync(TwoProjectsCloud.ProjectA, cell.Api, cell.Method, _cloud.Fill(cell.Path));

        answer.Status.Should().BeInRange(200, 299, $"{cell}: A itself got {answer}");
    }

    [Test]
    public async Task An_admin_of_a_third_project_lists_its_own_project_by_default_and_still_administers_others()
    {
        const string admin = TwoProjectsCloud.AdminOfC;
        var server = _cloud.Ids["server"];
        var volume = _cloud.Ids["volume"];

        (await _cloud.SendAsync(admin, "nova", "GET", "/v2.1/servers/detail")).Body.Should().NotContain(server, "nova lists another project's servers to an admin only with all_tenants");
        (await _cloud.SendAsync(admin, "cinder", "GET", "/volumes/detail")).Body.Should().NotContain(volume, "cinder lists another project's volumes to an admin only with all_tenants");
        (await _cloud.SendAsync(admin, "nova", "GET", "/v2.1/os-keypairs")).Body.Should().NotContain("a-key", "key pairs are the user's own");

        (await _cloud.SendAsync(admin, "nova", "GET", "/v2.1/servers/detail?all_tenants=1")).Body.Should().Contain(server, "an admin is an admin of every project in nova");
        (await _cloud.SendAsync(admin, "nova", "GET", $"/v2.1/servers/{server}")).Status.Should().Be(200);
        (await _cloud.SendAsync(admin, "cinder", "GET", $"/volumes/{volume}")).Status.Should().Be(200);
        (await _cloud.SendAsync(admin, "nova", "GET", $"/v2.1/os-quota-sets/{_cloud.Ids["project_a"]}")).Status.Should().Be(200);
    }

    [Test]
    public async Task An_ec2_key_pair_a_member_of_B_makes_for_project_A_opens_nothing_of_A()
    {
        var made = await _cloud.SendAsync(TwoProjectsCloud.MemberOfB, "keystone", "POST", _cloud.Fill("/v3/users/{user_b}/credentials/OS-EC2"),
            _cloud.Fill("""{"tenant_id":"{project_a}"}"""));
        if (made.Status != 201)
        {
            made.Status.Should().BeOneOf([401, 403], made.ToString());
            return;
        }
        var credential = System.Text.Json.JsonDocument.Parse(made.Body).RootElement.GetProperty("credential");
        var keys = (credential.GetProperty("access").GetString()!, credential.GetProperty("secret").GetString()!);

        foreach (var form in new[] { "Action=DescribeInstances", "Action=DescribeVolumes", "Action=TerminateInstances&InstanceId.1={ec2_instance}" })
        {
            var answer = await _cloud.Ec2WithKeysAsync(keys, form);
            answer.Status.Should().BeInRange(400, 403, $"B's pair for A's project must not work: {form} got {answer}");
            answer.Body.Should().NotContain(_cloud.Ids["ec2_instance"]).And.NotContain(_cloud.Ids["ec2_volume"]);
        }
        (await _cloud.SendAsync(TwoProjectsCloud.ProjectA, "nova", "GET", _cloud.Fill("/v2.1/servers/{server}"))).Body.Should().Contain("\"ACTIVE\"");
    }

    /// <summary>A's own view of the row's resource, to compare before and after a cell.</summary>
    private async Task<string> StateAsync(IsolationRow row)
    {
        var answer = await _cloud.SendAsync(TwoProjectsCloud.ProjectA, row.StateApi, "GET", _cloud.Fill(row.StatePath));
        return $"{answer.Status} {answer.Body}";
    }
}
