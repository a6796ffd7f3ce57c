using Cloud.Modules.Compute;
using Cloud.Modules.Compute.Db;
using Cloud.Tests.Support;
using Dapper;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Compute;

/// <summary>
/// The security group names of a page of instances (the servers' <c>security_groups</c>): each instance's sorted by
/// name, whether every instance has one group (the rows are then taken as they come) or some have several.
/// </summary>
public sealed class InstanceGroupNamesTests
{
    private SqliteHarness _db = null!;
    private InstanceMetadataStore _store = null!;

    [SetUp]
    public async Task MigrateAsync()
    {
        _db = await SqliteHarness.MigratedAsync();
        _store = new InstanceMetadataStore(_db.Db, TimeProvider.System);
    }

    [TearDown]
    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Test]
    public async Task One_group_each_gives_each_instance_its_group()
    {
        await InGroupsAsync("i-1", "web");
        await InGroupsAsync("i-2", "default");

        var (_, groups) = await _store.OfAsync([Instance("i-1"), Instance("i-2"), Instance("i-3")], default);

        groups["i-1"].Should().Equal("web");
        groups["i-2"].Should().Equal("default");
        groups["i-3"].Should().BeEmpty();
    }

    [Test]
    public async Task Several_groups_come_sorted_by_name_for_each_instance()
    {
        await InGroupsAsync("i-1", "zeta", "alpha", "Mid");
        await InGroupsAsync("i-2", "default");

        var (_, groups) = await _store.OfAsync([Instance("i-1"), Instance("i-2")], default);

        groups["i-1"].Should().Equal("Mid", "alpha", "zeta");
        groups["i-2"].Should().Equal("default");
        (await _store.SecurityGroupNamesOfAsync(["i-1"], default))["i-1"].Should().Equal("Mid", "alpha", "zeta");
    }

    private static Instance Instance(string uuid) => new() { Uuid = uuid };

    private async Task InGroupsAsync(string uuid, params string[] names)
    {
        await using var c = await _db.Db.OpenAsync(default);
        foreach (var name in names)
        {
            var id = await c.ExecuteScalarAsync<long?>("SELECT id FROM security_groups WHERE name = @Name", new { Name = name })
                ?? await c.ExecuteScalarAsync<long>(
                    "INSERT INTO security_groups (project_id, name, description, created_at) VALUES ('p', @Name, '', '2026-01-01 00:00:00') RETURNING id", new { Name = name });
            await c.ExecuteAsync("INSERT INTO instance_security_groups (instance_uuid, security_group_id) VALUES (@Uuid, @Id)", new { Uuid = uuid, Id = id });
        }
    }
}
