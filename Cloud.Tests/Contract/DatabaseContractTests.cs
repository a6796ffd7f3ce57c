using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Db;
using Cloud.Modules.Kernel.Service;
using Cloud.Tests.Support;
using Dapper;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>Migrations and the services table behave the same on every database engine.</summary>
[TestFixture(typeof(SqliteHarness))]
[TestFixture(typeof(MySqlHarness), Category = "Integration")]
public sealed class DatabaseContractTests<THarness> where THarness : IDbHarness, new()
{
    private THarness _harness = default!;
    private MigrationRunner _runner = null!;

    [SetUp]
    public void Create()
    {
        _harness = Harness.New<THarness>();
        _runner = new MigrationRunner(_harness.Db, NullLogger<MigrationRunner>.Instance);
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

    private ServiceGroup Services(TimeProvider clock, int downTime = 60) =>
        new(_harness.Db, Options.Create(new CommonFlags { ServiceDownTime = downTime }), clock);

    [Test]
    public async Task Sync_creates_the_schema_and_version_reports_it()
    {
        (await _runner.CurrentVersionAsync(default)).Should().Be(0);

        var applied = await _runner.SyncAsync(default);

        applied.Select(m => m.Version).Should().Equal(MigrationCatalog.All.Select(m => m.Version));
        (await _runner.CurrentVersionAsync(default)).Should().Be(MigrationCatalog.Latest);
        await _runner.EnsureCurrentAsync(default);
    }

    [Test]
    public async Task Sync_twice_is_a_no_op()
    {
        await _runner.SyncAsync(default);

        (await _runner.SyncAsync(default)).Should().BeEmpty();
        (await _runner.CurrentVersionAsync(default)).Should().Be(MigrationCatalog.Latest);
    }

    [Test]
    public async Task Two_syncs_at_once_apply_each_migration_once()
    {
        var other = new MigrationRunner(_harness.Db, NullLogger<MigrationRunner>.Instance);

        var results = await Task.WhenAll(_runner.SyncAsync(default), other.SyncAsync(default));

        results.Sum(r => r.Count).Should().Be(MigrationCatalog.All.Count);
    }

    [Test]
    public async Task An_unsynced_database_is_refused_with_the_command_to_run()
    {
        var check = () => _runner.EnsureCurrentAsync(default);

        (await check.Should().ThrowAsync<SchemaOutOfDateException>()).Which.Message
            .Should().Contain("schema version 0").And.Contain("cloudd manage db sync");
    }

    [Test]
    public async Task A_schema_newer_than_this_cloudd_is_refused()
    {
        await _runner.SyncAsync(default);
        await using (var connection = await _harness.Db.OpenAsync(default))
        {
            await connection.ExecuteAsync("INSERT INTO migrate_version (version, name, applied_at) VALUES (9999, 'future', @Now)", new { Now = DateTime.UtcNow });
        }

        var check = () => _runner.EnsureCurrentAsync(default);

        (await check.Should().ThrowAsync<SchemaOutOfDateException>()).Which.Message.Should().Contain("upgrade cloudd");
    }

    [Test]
    public async Task Heartbeats_create_the_service_row_then_count_and_refresh_it()
    {
        await _runner.SyncAsync(default);
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.Zero));
        var services = Services(clock);

        await services.ReportAsync("cloudd-compute", "brontes", "compute", "nova", default);
        clock.Advance(TimeSpan.FromSeconds(10));
        await services.ReportAsync("cloudd-compute", "brontes", "compute", "nova", default);

        var row = (await services.ListAsync(default)).Should().ContainSingle().Which;
        row.Binary.Should().Be("cloudd-compute");
        row.Host.Should().Be("brontes");
        row.ReportCount.Should().Be(2);
        row.Disabled.Should().BeFalse();
        row.UpdatedAt.Should().BeCloseTo(clock.GetUtcNow().UtcDateTime, TimeSpan.FromMilliseconds(1));
        services.IsUp(row).Should().BeTrue();
    }

    [Test]
    public async Task A_service_is_down_once_its_last_heartbeat_is_older_than_service_down_time_while_others_get_through()
    {
        await _runner.SyncAsync(default);
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var services = Services(clock, downTime: 60);
        await services.ReportAsync("cloudd-compute", "ares", "compute", "nova", default);

        clock.Advance(TimeSpan.FromSeconds(59));
        await services.ReportAsync("cloudd-scheduler", "zeus", "scheduler", "nova", default);
        services.IsUp(await RowAsync(services, "ares")).Should().BeTrue();
        clock.Advance(TimeSpan.FromSeconds(2));
        await services.ReportAsync("cloudd-scheduler", "zeus", "scheduler", "nova", default);
        services.IsUp(await RowAsync(services, "ares")).Should().BeFalse();
    }

    [Test]
    public async Task While_no_heartbeat_gets_through_a_stale_service_stays_up_for_the_outage_grace_only()
    {
        // Jitter protection: a database outage (or every reporter stalled) makes every heartbeat stale at once; that
        // says nothing about any one host, so none is declared down until OutageGrace down times have passed.
        await _runner.SyncAsync(default);
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var services = Services(clock, downTime: 10);
        await services.ReportAsync("cloudd-compute", "ares", "compute", "nova", default);
        await services.ReportAsync("cloudd-scheduler", "zeus", "scheduler", "nova", default);

        clock.Advance(TimeSpan.FromSeconds(10 * ServiceGroup.OutageGrace - 1));
        services.IsUp(await RowAsync(services, "ares")).Should().BeTrue();
        clock.Advance(TimeSpan.FromSeconds(2));
        services.IsUp(await RowAsync(services, "ares")).Should().BeFalse();
    }

    [Test]
    public async Task A_service_that_stopped_is_down_at_once_and_up_again_with_its_next_heartbeat()
    {
        await _runner.SyncAsync(default);
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var services = Services(clock);
        await services.ReportAsync("cloudd-compute", "ares", "compute", "nova", default);

        await services.MarkStoppedAsync("cloudd-compute", "ares", default);
        var stopped = await RowAsync(services, "ares");
        stopped.Stopped.Should().BeTrue();
        services.IsUp(stopped).Should().BeFalse();

        await services.ReportAsync("cloudd-compute", "ares", "compute", "nova", default);
        services.IsUp(await RowAsync(services, "ares")).Should().BeTrue();
    }

    private static async Task<ServiceRecord> RowAsync(ServiceGroup services, string host) =>
        (await services.ListAsync(default)).Single(s => s.Host == host);

    [Test]
    public async Task Disable_enable_and_delete_affect_only_the_named_service()
    {
        await _runner.SyncAsync(default);
        var services = Services(TimeProvider.System);
        await services.ReportAsync("cloudd-compute", "a", "compute", "nova", default);
        await services.ReportAsync("cloudd-compute", "b", "compute", "nova", default);

        (await services.SetDisabledAsync("a", "cloudd-compute", true, default)).Should().BeTrue();
        (await services.SetDisabledAsync("nohost", "cloudd-compute", true, default)).Should().BeFalse();
        (await services.ListAsync(default)).Select(s => (s.Host, s.Disabled)).Should().Equal(("a", true), ("b", false));

        (await services.DeleteAsync("b", "cloudd-compute", default)).Should().BeTrue();
        (await services.ListByTopicAsync("compute", default)).Select(s => s.Host).Should().Equal("a");
    }

    [Test]
    public async Task Hostile_host_names_are_stored_verbatim_and_harm_nothing()
    {
        await _runner.SyncAsync(default);
        var services = Services(TimeProvider.System);
        const string hostile = "x'); DROP TABLE services; --";

        await services.ReportAsync("cloudd-compute", hostile, "compute", "nova", default);

        (await services.ListAsync(default)).Should().ContainSingle().Which.Host.Should().Be(hostile);
    }
}
