using System.Net;
using System.Text.Json;
using Cloud.Modules.Kernel.Http;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Storage;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Storage;

public sealed class AccountServerTests
{
    // Two policies, as an operator with a gold tier has them; rows name them by index.
    private static readonly SwiftRingFlags Policies = new() { SwiftStoragePolicies = "0:Policy-0:default,1:gold|fast" };

    private DatabaseServerHarness _server = null!;

    [SetUp]
    public async Task Start() => _server = await DatabaseServerHarness.StartAsync(flags => new AccountServer(flags, new SwiftHash("", "cloudd-test"), Options.Create(Policies), TimeProvider.System, NullLogger<AccountServer>.Instance).HttpOptions("swift-storage"));

    [TearDown]
    public async Task Stop() => await _server.DisposeAsync();

    [Test]
    public async Task An_account_is_created_once_and_keeps_its_metadata()
    {
        (await Send(HttpMethod.Put, "/sda1/0/AUTH_a", ("X-Timestamp", "1"), ("X-Account-Meta-Quota", "10"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await Send(HttpMethod.Put, "/sda1/0/AUTH_a", ("X-Timestamp", "2"))).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await Send(HttpMethod.Post, "/sda1/0/AUTH_a", ("X-Timestamp", "3"), ("X-Account-Meta-Owner", "me"))).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var head = await Send(HttpMethod.Head, "/sda1/0/AUTH_a");

        head.StatusCode.Should().Be(HttpStatusCode.NoContent);
        Header(head, "X-Account-Container-Count").Should().Be("0");
        Header(head, "X-Account-Meta-Quota").Should().Be("10");
        Header(head, "X-Account-Meta-Owner").Should().Be("me");
        Header(head, "X-Timestamp").Should().Be("0000000001.00000");
    }

    [Test]
    public async Task Container_rows_add_up_to_the_account_totals_and_list()
    {
        await Send(HttpMethod.Put, "/sda1/0/AUTH_a", ("X-Timestamp", "1"));
        await PutRow("photos", "1795917876", "0", 3, 300);
        await PutRow("docs", "1795917877", "0", 2, 20);
        await PutRow("photos", "1795917876", "0", 4, 400);

        var get = await Send(HttpMethod.Get, "/sda1/0/AUTH_a?format=json");

        get.StatusCode.Should().Be(HttpStatusCode.OK);
        Header(get, "X-Account-Container-Count").Should().Be("2");
        Header(get, "X-Account-Object-Count").Should().Be("6");
        Header(get, "X-Account-Bytes-Used").Should().Be("420");
        (await get.Content.ReadAsStringAsync()).Should().Be(
            """[{"name":"docs","count":2,"bytes":20,"last_modified":"2026-11-29T02:04:37.000000"},{"name":"photos","count":4,"bytes":400,"last_modified":"2026-11-29T02:04:36.000000"}]""");
    }

    [Test]
    public async Task A_container_row_with_a_newer_delete_leaves_the_listing()
    {
        await Send(HttpMethod.Put, "/sda1/0/AUTH_a", ("X-Timestamp", "1"));
        await PutRow("c1", "2", "0", 1, 1);
        await PutRow("c2", "2", "0", 0, 0);

        (await Send(HttpMethod.Put, "/sda1/0/AUTH_a/c2", ("X-Put-Timestamp", "2"), ("X-Delete-Timestamp", "3"))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await Names("?format=json")).Should().Equal("c1");

        (await Send(HttpMethod.Put, "/sda1/0/AUTH_a/c2", ("X-Put-Timestamp", "4"), ("X-Object-Count", "0"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await Names("?format=json")).Should().Equal("c1", "c2");
    }

    [Test]
    public async Task Account_listings_share_the_container_listing_parameters()
    {
        await Send(HttpMethod.Put, "/sda1/0/AUTH_a", ("X-Timestamp", "1"));
        foreach (var name in new[] { "a-1", "a-2", "b", "c-1" })
        {
            await PutRow(name, "2", "0", 1, 1);
        }

        (await Names("?format=json&prefix=a")).Should().Equal("a-1", "a-2");
        (await Names("?format=json&delimiter=-")).Should().Equal("a-", "b", "c-");
        (await Names("?format=json&marker=a-2&limit=1")).Should().Equal("b");
        (await Names("?format=json&end_marker=b")).Should().Equal("a-1", "a-2");
        (await Names("?format=json&reverse=on")).Should().Equal("c-1", "b", "a-2", "a-1");
        (await Names("?format=json&marker=c-1")).Should().BeEmpty();
        (await (await Send(HttpMethod.Get, "/sda1/0/AUTH_a?prefix=c")).Content.ReadAsStringAsync()).Should().Be("c-1\n");
        (await (await Send(HttpMethod.Get, "/sda1/0/AUTH_a?format=xml&prefix=b")).Content.ReadAsStringAsync()).Should().Be(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<account name=\"AUTH_a\">\n<container><name>b</name><count>1</count><bytes>1</bytes><last_modified>1970-01-01T00:00:02.000000</last_modified></container>\n</account>");
        (await Send(HttpMethod.Get, "/sda1/0/AUTH_a?prefix=z")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Test]
    public async Task A_deleted_account_is_gone_and_cannot_be_put_again_at_once()
    {
        await Send(HttpMethod.Put, "/sda1/0/AUTH_a", ("X-Timestamp", "1"));

        (await Send(HttpMethod.Delete, "/sda1/0/AUTH_a", ("X-Timestamp", "2"))).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await Send(HttpMethod.Head, "/sda1/0/AUTH_a")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Send(HttpMethod.Put, "/sda1/0/AUTH_a/c", ("X-Put-Timestamp", "3"))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Send(HttpMethod.Put, "/sda1/0/AUTH_a", ("X-Timestamp", "4"))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [TestCase("/sda1/0/AUTH_a?limit=10001", HttpStatusCode.PreconditionFailed)]
    [TestCase("/sda1/0", HttpStatusCode.BadRequest)]
    [TestCase("/sda1/0/AUTH_a/c/o", HttpStatusCode.BadRequest)]
    [TestCase("/nope/0/AUTH_a", HttpStatusCode.InsufficientStorage)]
    [TestCase("/sda1/0/AUTH_missing", HttpStatusCode.NotFound)]
    public async Task Client_mistakes_get_a_text_answer_not_a_500(string path, HttpStatusCode expected)
    {
        await Send(HttpMethod.Put, "/sda1/0/AUTH_a", ("X-Timestamp", "1"));

        var response = await Send(HttpMethod.Get, path);

        response.StatusCode.Should().Be(expected);
        response.Content.Headers.ContentType!.MediaType.Should().BeOneOf("text/html", "text/plain"); // swob's error page, or a listing error's text
    }

    [Test]
    public async Task Container_rows_need_a_put_timestamp_and_numeric_counts()
    {
        await Send(HttpMethod.Put, "/sda1/0/AUTH_a", ("X-Timestamp", "1"));

        (await Send(HttpMethod.Put, "/sda1/0/AUTH_a/c")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Send(HttpMethod.Put, "/sda1/0/AUTH_a/c", ("X-Put-Timestamp", "2"), ("X-Object-Count", "many"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Send(HttpMethod.Get, "/sda1/0/AUTH_a/c")).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }

    [Test]
    public async Task Totals_per_storage_policy_are_headers_named_after_the_policy()
    {
        await Send(HttpMethod.Put, "/sda1/0/AUTH_a", ("X-Timestamp", "1"));
        await PutRow("plain", "2", "0", 3, 30);
        await PutRow("gilded", "2", "0", 2, 200, policy: "1");
        await PutRow("gilded-too", "2", "0", 1, 100, policy: "1");
        await PutRow("gone", "2", "0", 5, 5, policy: "1");
        (await Send(HttpMethod.Put, "/sda1/0/AUTH_a/gone", ("X-Put-Timestamp", "2"), ("X-Delete-Timestamp", "3"), ("X-Backend-Storage-Policy-Index", "1")))
            .StatusCode.Should().Be(HttpStatusCode.NoContent);

        var head = await Send(HttpMethod.Head, "/sda1/0/AUTH_a");

        Header(head, "X-Account-Storage-Policy-Policy-0-Container-Count").Should().Be("1");
        Header(head, "X-Account-Storage-Policy-Policy-0-Object-Count").Should().Be("3");
        Header(head, "X-Account-Storage-Policy-Policy-0-Bytes-Used").Should().Be("30");
        // swob title-cases header names: the policy "gold" shows as Gold.
        Header(head, "X-Account-Storage-Policy-Gold-Container-Count").Should().Be("2");
        Header(head, "X-Account-Storage-Policy-Gold-Object-Count").Should().Be("3");
        Header(head, "X-Account-Storage-Policy-Gold-Bytes-Used").Should().Be("300");
        Header(head, "X-Account-Bytes-Used").Should().Be("330");
        head.Headers.Select(h => h.Key).Where(k => k.StartsWith("X-Account-Storage-Policy-", StringComparison.Ordinal)).Should().HaveCount(6);
        (await Send(HttpMethod.Get, "/sda1/0/AUTH_a?format=json")).Headers.Contains("X-Account-Storage-Policy-Gold-Bytes-Used").Should().BeTrue();
    }

    [Test]
    public async Task A_policy_whose_containers_are_all_gone_keeps_zero_totals_and_an_unknown_policy_is_left_out()
    {
        await Send(HttpMethod.Put, "/sda1/0/AUTH_a", ("X-Timestamp", "1"));
        await PutRow("gone", "2", "0", 0, 0, policy: "1");
        await PutRow("elsewhere", "2", "0", 1, 1, policy: "7");
        await Send(HttpMethod.Put, "/sda1/0/AUTH_a/gone", ("X-Put-Timestamp", "2"), ("X-Delete-Timestamp", "3"), ("X-Backend-Storage-Policy-Index", "1"));

        var head = await Send(HttpMethod.Head, "/sda1/0/AUTH_a");

        Header(head, "X-Account-Storage-Policy-Gold-Container-Count").Should().Be("0");
        head.Headers.Select(h => h.Key).Where(k => k.StartsWith("X-Account-Storage-Policy-", StringComparison.Ordinal)).Should().HaveCount(3);
        (await Send(HttpMethod.Put, "/sda1/0/AUTH_a/bad", ("X-Put-Timestamp", "2"), ("X-Backend-Storage-Policy-Index", "gold")))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task An_account_database_from_before_policies_is_upgraded_when_opened()
    {
        await Send(HttpMethod.Put, "/sda1/0/AUTH_a", ("X-Timestamp", "1"));
        await PutRow("old", "2", "0", 4, 40);
        var file = Directory.EnumerateFiles(_server.DevicesPath, "*.db", SearchOption.AllDirectories).Single();
        // The layout of the previous release: no storage_policy_index column, user_version 0.
        using (var db = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            db.Open();
            using var downgrade = db.CreateCommand();
            downgrade.CommandText = "ALTER TABLE container DROP COLUMN storage_policy_index; PRAGMA user_version = 0;";
            downgrade.ExecuteNonQuery();
        }

        await PutRow("new", "3", "0", 1, 1, policy: "1");
        var head = await Send(HttpMethod.Head, "/sda1/0/AUTH_a");

        Header(head, "X-Account-Storage-Policy-Policy-0-Object-Count").Should().Be("4");
        Header(head, "X-Account-Storage-Policy-Gold-Object-Count").Should().Be("1");
    }

    [TestCase("gold", "Gold")]
    [TestCase("Policy-0", "Policy-0")]
    [TestCase("gold-2x", "Gold-2X")]
    [TestCase("SILVER", "Silver")]
    public void Header_names_take_the_policy_name_title_cased_as_python_does(string name, string expected) =>
        PythonStrings.Title(name).Should().Be(expected);

    private async Task PutRow(string name, string put, string delete, long objects, long bytes, string policy = "0") =>
        (await Send(HttpMethod.Put, $"/sda1/0/AUTH_a/{name}", ("X-Put-Timestamp", put), ("X-Delete-Timestamp", delete),
            ("X-Object-Count", objects.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("X-Bytes-Used", bytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("X-Backend-Storage-Policy-Index", policy))).StatusCode.Should().Be(HttpStatusCode.Created);

    private async Task<List<string>> Names(string query)
    {
        var response = await Send(HttpMethod.Get, $"/sda1/0/AUTH_a{query}");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.EnumerateArray()
            .Select(e => e.TryGetProperty("subdir", out var subdir) ? subdir.GetString()! : e.GetProperty("name").GetString()!)
            .ToList();
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, params (string Name, string Value)[] headers) =>
        _server.SendAsync(method, path, headers);

    private static string Header(HttpResponseMessage response, string name) => DatabaseServerHarness.Header(response, name);
}
