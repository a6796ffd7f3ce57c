using Cloud.Modules.Kernel.Db;
using Cloud.Tests.Support;
using Dapper;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12, hole 10: on MariaDB a migration failing midway left its tables without a recorded version, so every
/// rerun failed on what the first run had already done; and a timed-out GET_LOCK was ignored, so two syncs could
/// apply the same migration together. Now a failed migration is resumed by the rerun, and a sync that cannot get
/// the lock fails saying so, having applied nothing.
/// </summary>
[TestFixture(typeof(SqliteHarness))]
[TestFixture(typeof(MySqlHarness), Category = "Integration")]
[NonParallelizable]
public sealed class Bug0012_10_MigrationsNotAtomic<THarness> where THarness : IDbHarness, new()
{
    private static readonly Migration Base = Both(1, "base", "CREATE TABLE IF NOT EXISTS guard (id INTEGER NOT NULL PRIMARY KEY);");

    // Table, seed rows and index are done when the guard insert fails; the last table is not.
    private static readonly Migration Midway = Both(2, "midway", """
        CREATE TABLE IF NOT EXISTS seeded (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(20) NOT NULL);
        INSERT INTO seeded (id, name) VALUES (1, 'one'), (2, 'two');
        CREATE INDEX IF NOT EXISTS seeded_name ON seeded (name);
        INSERT INTO guard (id) VALUES (7);
        CREATE TABLE IF NOT EXISTS after_guard (id INTEGER NOT NULL PRIMARY KEY);
        """);

    private THarness _harness = default!;

    [SetUp]
    public void Create() => _harness = new THarness();

    [TearDown]
    public async Task DropAsync() => await _harness.DisposeAsync();

    private static Migration Both(int version, string name, string sql) =>
        new(version, name, new Dictionary<SqlDialect, string> { [SqlDialect.MySql] = sql, [SqlDialect.Sqlite] = sql });

    private MigrationRunner Runner(params Migration[] migrations) =>
        new(DbConnectionFactory.FromUrl(_harness.SqlConnection), NullLogger<MigrationRunner>.Instance, migrations, TimeSpan.FromSeconds(1));

    [Test]
    public async Task A_migration_failing_midway_is_not_recorded_and_a_rerun_after_the_fix_completes_it()
    {
        await Runner(Base).SyncAsync(default);
        await using var c = await _harness.Db.OpenAsync(default);
        await c.ExecuteAsync("INSERT INTO guard (id) VALUES (7)");

        var failed = () => Runner(Base, Midway).SyncAsync(default);

        (await failed.Should().ThrowAsync<DatabaseUnavailableException>()).Which.Message.Should().Contain("0002_midway").And.Contain("run db sync again");
        (await Runner(Base, Midway).CurrentVersionAsync(default)).Should().Be(1, "a half-done migration is not recorded");
        (await failed.Should().ThrowAsync<DatabaseUnavailableException>()).Which.Message.Should().Contain("0002_midway", "the cause is still there");

        await c.ExecuteAsync("DELETE FROM guard");
        var applied = await Runner(Base, Midway).SyncAsync(default);

        applied.Select(m => m.Version).Should().Equal(2);
        (await Runner(Base, Midway).CurrentVersionAsync(default)).Should().Be(2);
        (await c.QueryAsync<string>("SELECT name FROM seeded ORDER BY id")).Should().Equal("one", "two");
        (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM guard")).Should().Be(1);
        (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM after_guard")).Should().Be(0);
        (await Runner(Base, Midway).SyncAsync(default)).Should().BeEmpty();
    }

    [Test]
    public async Task A_ddl_statement_done_before_a_crash_but_not_recorded_is_rerun_harmlessly()
    {
        await Runner(Base).SyncAsync(default);
        await using var c = await _harness.Db.OpenAsync(default);
        // What a crash right after the first CREATE TABLE (auto-committed on MariaDB) and before its record leaves.
        await c.ExecuteAsync("CREATE TABLE seeded (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(20) NOT NULL)");

        await Runner(Base, Midway).SyncAsync(default);

        (await c.QueryAsync<string>("SELECT name FROM seeded ORDER BY id")).Should().Equal("one", "two");
    }

    [Test]
    public void Every_shipped_mariadb_migration_statement_can_be_rerun_after_a_partial_run()
    {
        // SQLite runs each migration in one transaction, so only MariaDB's auto-committed DDL must be re-runnable.
        var offending = MigrationCatalog.All
            .SelectMany(m => Migration.Statements(m.SqlFor(SqlDialect.MySql)).Select(s => (m, s)))
            .Where(x => !Migration.IsRerunnable(x.s))
            .Select(x => $"{x.m.Version:0000}_{x.m.Name}: {x.s.Split('\n')[0]}");

        offending.Should().BeEmpty();
    }

    [Test]
    public async Task A_sync_that_cannot_get_the_lock_fails_clearly_and_applies_nothing()
    {
        if (_harness is not MySqlHarness)
        {
            Assert.Ignore("SQLite serialises syncs with its write lock inside the migration transaction");
        }
        await Runner(Base).SyncAsync(default);
        await using var holder = new MySqlConnection(MySqlConnectionString());
        await holder.OpenAsync();
        (await holder.ExecuteScalarAsync<long>("SELECT GET_LOCK(CONCAT('cloudd_sync_', MD5(DATABASE())), 5)")).Should().Be(1);

        var blocked = () => Runner(Base, Midway).SyncAsync(default);

        (await blocked.Should().ThrowAsync<DatabaseUnavailableException>()).Which.Message.Should().Contain("another db sync holds the schema lock");
        (await Runner(Base, Midway).CurrentVersionAsync(default)).Should().Be(1);
        await using var c = await _harness.Db.OpenAsync(default);
        (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'seeded'")).Should().Be(0);

        // The real command says the same and exits non-zero.
        var run = await CloudProcess.RunAsync("manage", "db", "sync", $"--sql_connection={_harness.SqlConnection}", "--db_sync_lock_timeout=1");
        run.ExitCode.Should().NotBe(0);
        (run.Stdout + run.Stderr).Should().Contain("another db sync holds the schema lock").And.NotContain("   at ");
    }

    private string MySqlConnectionString()
    {
        var url = DatabaseUrl.Parse(_harness.SqlConnection);
        return new MySqlConnectionStringBuilder { Server = url.Host, Port = (uint)url.Port, UserID = url.User, Password = url.Password, Database = url.Database,
            // Unpooled: a pooled session would keep the lock after the test.
            Pooling = false }.ConnectionString;
    }
}
