using System.Text.Json;
using System.Xml.Linq;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Server list paging as nova does it (<c>limit</c>, <c>marker</c>, the <c>servers_links</c> next link, nova's 400s for a
/// bad limit or an unknown marker) and DescribeInstances' <c>MaxResults</c>/<c>NextToken</c> as EC2 does it, on SQLite
/// and MariaDB: the database sorts and cuts the page (keyset after the marker's row), so both dialects run it. One
/// project's pages never show, nor accept as marker, another project's server.
/// </summary>
[TestFixture(false, Category = "Integration")]
[TestFixture(true, Category = "Integration")]
[NonParallelizable]
public sealed class ServerPagingTests(bool mariaDb)
{
    private const int Servers = 7;

    private ComputeApiCloud _cloud = null!;
    private string _token = "";
    private string _otherProjectServer = "";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _cloud = await ComputeApiCloud.StartAsync(mariaDb);
        _token = await _cloud.TokenAsync("carol");
        var created = await _cloud.NovaAsync(_token, HttpMethod.Post, "/v2.1/servers",
            new { server = new { name = "paged", imageRef = _cloud.ImageId, flavorRef = "1", min_count = Servers, max_count = Servers } });
        created.Status.Should().Be(202, created.Body);
        var other = await _cloud.NovaAsync(await _cloud.TokenAsync("alice"), HttpMethod.Post, "/v2.1/servers",
            new { server = new { name = "paged", imageRef = _cloud.ImageId, flavorRef = "1" } });
        other.Status.Should().Be(202, other.Body);
        _otherProjectServer = ComputeApiCloud.Json(other.Body).GetProperty("server").GetProperty("id").GetString()!;
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    private async Task<JsonElement> OkAsync(string path)
    {
        var answer = await _cloud.NovaAsync(_token, HttpMethod.Get, path);
        answer.Status.Should().Be(200, answer.Body);
        return ComputeApiCloud.Json(answer.Body);
    }

    private static List<string> Ids(JsonElement page) => [.. page.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    /// <summary>Follows next links from <paramref name="first"/>; every page but the last is full.</summary>
    private async Task<List<string>> WalkAsync(string first, int limit)
    {
        var ids = new List<string>();
        var page = await OkAsync(first);
        while (true)
        {
            var onPage = Ids(page);
            ids.AddRange(onPage);
            if (!page.TryGetProperty("servers_links", out var links))
            {
                onPage.Count.Should().BeLessThanOrEqualTo(limit);
                return ids;
            }
            onPage.Should().HaveCount(limit, "nova links the next page only from a full one");
            var next = new Uri(links[0].GetProperty("href").GetString()!);
            next.Query.Should().Contain($"marker={onPage[^1]}").And.Contain($"limit={limit}");
            page = await OkAsync(next.PathAndQuery);
        }
    }

    [TestCase("/v2.1/servers?limit=2")]
    [TestCase("/v2.1/servers/detail?limit=3&sort_key=display_name&sort_dir=asc&sort_key=uuid&sort_dir=desc")]
    [TestCase("/v2.1/servers?limit=2&sort_key=launch_index&sort_dir=asc")]
    [TestCase("/v2.1/servers?limit=2&name=^pag")]
    public async Task Pages_walked_by_next_links_list_each_server_once_in_the_unpaged_order(string first)
    {
        var limit = int.Parse(first.Split("limit=")[1].Split('&')[0], System.Globalization.CultureInfo.InvariantCulture);
        var unpaged = Ids(await OkAsync(first.Replace($"limit={limit}", "limit=1000", StringComparison.Ordinal)));
        unpaged.Should().HaveCount(Servers).And.NotContain(_otherProjectServer);

        var walked = await WalkAsync(first, limit);

        walked.Should().Equal(unpaged);
    }

    [Test]
    public async Task A_marker_starts_the_page_after_it_and_a_full_page_links_the_next()
    {
        var all = Ids(await OkAsync("/v2.1/servers"));

        var page = await OkAsync($"/v2.1/servers/detail?marker={all[2]}&limit=2");

        Ids(page).Should().Equal(all[3], all[4]);
        page.GetProperty("servers")[0].GetProperty("status").GetString().Should().NotBeNullOrEmpty("the detail view of the page");
        page.GetProperty("servers_links")[0].GetProperty("href").GetString().Should().Contain("/v2.1/servers/detail?").And.Contain($"marker={all[4]}");
        (await OkAsync($"/v2.1/servers?marker={all[^1]}")).GetProperty("servers").GetArrayLength().Should().Be(0);
    }

    [TestCase("marker=00000000-0000-0000-0000-000000000000", "marker [00000000-0000-0000-0000-000000000000] not found")]
    [TestCase("limit=-1", "Invalid input for query parameters limit. Value: -1. '-1' does not match '^[0-9]*$'")]
    [TestCase("limit=two", "Invalid input for query parameters limit. Value: two. 'two' does not match '^[0-9]*$'")]
    public async Task A_bad_limit_or_an_unknown_marker_is_nova_s_400(string parameter, string message)
    {
        var answer = await _cloud.NovaAsync(_token, HttpMethod.Get, $"/v2.1/servers/detail?{parameter}");

        answer.Status.Should().Be(400, answer.Body);
        ComputeApiCloud.Json(answer.Body).GetProperty("badRequest").GetProperty("message").GetString().Should().Be(message);
    }

    [Test]
    public async Task Another_project_s_server_is_no_marker()
    {
        foreach (var path in new[] { "/v2.1/servers", "/v2.1/servers?name=paged" })
        {
            var answer = await _cloud.NovaAsync(_token, HttpMethod.Get, $"{path}{(path.Contains('?') ? '&' : '?')}marker={_otherProjectServer}");
            answer.Status.Should().Be(400, answer.Body);
            answer.Body.Should().Contain($"marker [{_otherProjectServer}] not found");
        }
    }

    [Test]
    public async Task DescribeInstances_pages_with_MaxResults_and_NextToken()
    {
        var keys = await _cloud.Cloud.Ec2KeysAsync("carol");
        using var ec2 = new Ec2Http(_cloud.Cloud.Ec2Url);
        XNamespace ns = "http://ec2.amazonaws.com/doc/2016-11-15/";
        async Task<XDocument> DescribeAsync(string form)
        {
            var (status, body) = await ec2.CallAsync(keys, "Action=DescribeInstances" + form);
            status.Should().Be(200, body);
            return XDocument.Parse(body);
        }
        static List<string> InstanceIds(XDocument answer) => [.. answer.Descendants(XName.Get("instanceId", "http://ec2.amazonaws.com/doc/2016-11-15/")).Select(e => e.Value)];

        var all = InstanceIds(await DescribeAsync(""));
        var first = await DescribeAsync("&MaxResults=5");
        var token = first.Root!.Element(ns + "nextToken")?.Value;
        token.Should().NotBeNull();
        var second = await DescribeAsync($"&MaxResults=5&NextToken={token}");
        second.Root!.Element(ns + "nextToken").Should().BeNull("nothing remains after the second page");

        all.Should().HaveCount(Servers);
        InstanceIds(first).Should().HaveCount(5);
        InstanceIds(first).Concat(InstanceIds(second)).Should().BeEquivalentTo(all);
        (await ec2.CallAsync(keys, "Action=DescribeInstances&MaxResults=4")).Body.Should().Contain("InvalidParameterValue");
        (await ec2.CallAsync(keys, $"Action=DescribeInstances&MaxResults=5&InstanceId.1={all[0]}")).Body.Should().Contain("InvalidParameterCombination");
        (await ec2.CallAsync(keys, "Action=DescribeInstances&NextToken=bogus")).Body.Should().Contain("InvalidParameterValue");
    }
}
