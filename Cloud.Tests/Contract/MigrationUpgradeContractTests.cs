using Cloud.Modules.Kernel.Db;
using Cloud.Tests.Support;
using Dapper;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>
/// Databases made by the per-dialect migration files keep working with the shared files whose dialect tokens
/// replaced them: <c>migrate_version</c> records versions and names only, so a database at a version is current
/// whatever file made it, and one part-way upgrades through the shared files to the schema a fresh database gets.
/// <c>Legacy/Migrations/</c> freezes <c>0001_services</c>'s two files, the one whose SQL changed (its unique key
/// became an index, SQLite's DATETIME a DATETIME(6)); <c>0004_compute</c>'s tokens spell its old files to the letter.
/// </summary>
[TestFixture(typeof(SqliteHarness))]
[TestFixture(typeof(MySqlHarness), Category = "Integration")]
public sealed class MigrationUpgradeContractTests<THarness> where THarness : IDbHarness, new()
{
    private static readonly IReadOnlyList<Migration> Legacy = MigrationCatalog.Load(typeof(MigrationUpgradeContractTests<>).Assembly);

    private THarness _old = default!;
    private THarness _fresh = default!;

    [SetUp]
    public void Create()
    {
        _old = Harness.New<THarness>();
        _fresh = Harness.New<THarness>();
    }

    [TearDown]
    public async Task DropAsync()
    {
        if (_old is not null)
        {
            await _old.DisposeAsync();
        }
        if (_fresh is not null)
        {
            await _fresh.DisposeAsync();
        }
    }

    [Test]
    public void The_frozen_files_are_the_migration_that_became_a_shared_one()
    {
        Legacy.Select(m => m.Version).Should().Equal(1);
        Legacy.Select(m => m.Name).Should().Equal(MigrationCatalog.All.Where(m => m.Version == 1).Select(m => m.Name));
    }

    [Test]
    public async Task A_database_made_by_the_per_dialect_files_is_current_and_has_the_fresh_schema()
    {
        await Runner(_old.Db, OldCatalog(MigrationCatalog.Latest)).SyncAsync(default);

        var runner = Runner(_old.Db, MigrationCatalog.All);
        await runner.EnsureCurrentAsync(default);
        (await runner.SyncAsync(default)).Should().BeEmpty();
        await Runner(_fresh.Db, MigrationCatalog.All).SyncAsync(default);
        (await SchemaAsync(_old.Db)).Should().Equal(await SchemaAsync(_fresh.Db));
    }

    [Test]
    public async Task A_database_made_part_way_by_the_per_dialect_files_upgrades_through_the_shared_ones()
    {
        await Runner(_old.Db, OldCatalog(3)).SyncAsync(default);

        var applied = await Runner(_old.Db, MigrationCatalog.All).SyncAsync(default);

        applied.Select(m => m.Version).Should().Equal(MigrationCatalog.All.Where(m => m.Version > 3).Select(m => m.Version));
        await Runner(_fresh.Db, MigrationCatalog.All).SyncAsync(default);
        (await SchemaAsync(_old.Db)).Should().Equal(await SchemaAsync(_fresh.Db));
    }

    /// <summary>The catalog as it was: today's migrations up to <paramref name="upTo"/>, the frozen files in their place.</summary>
    private static List<Migration> OldCatalog(int upTo) =>
        MigrationCatalog.All.Where(m => m.Version <= upTo).Select(m => Legacy.SingleOrDefault(l => l.Version == m.Version) ?? m).ToList();

    private static MigrationRunner Runner(IDbConnectionFactory db, IReadOnlyList<Migration> migrations) =>
        new(db, NullLogger<MigrationRunner>.Instance, migrations);

    /// <summary>Every table's columns (with nullability) and indexes (with uniqueness), one sorted line each.</summary>
    private static async Task<List<string>> SchemaAsync(IDbConnectionFactory db)
    {
        await using var c = await db.OpenAsync(default);
        var rows = db.Dialect == SqlDialect.MySql
            ? await c.QueryAsync<string>("""
                SELECT CONCAT('column ', table_name, '.', column_name, ' ', is_nullable) FROM information_schema.columns WHERE table_schema = DATABASE()
                UNION SELECT CONCAT('index ', table_name, '.', index_name, ' ', non_unique) FROM information_schema.statistics
                    WHERE table_schema = DATABASE() AND index_name <> 'PRIMARY'
                """)
            : await c.QueryAsync<string>("""
                SELECT 'column ' || t.name || '.' || p.name || ' ' || CASE WHEN p."notnull" OR p.pk THEN 'NO' ELSE 'YES' END
                    FROM sqlite_master t, pragma_table_info(t.name) p WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%'
                UNION SELECT 'index ' || t.name || '.' || i.name || ' ' || (1 - i."unique")
                    FROM sqlite_master t, pragma_index_list(t.name) i WHERE t.type = 'table' AND i.origin <> 'pk'
                """);
        return rows.Order(StringComparer.Ordinal).ToList();
    }
}
