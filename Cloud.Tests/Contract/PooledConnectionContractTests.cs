using System.Data.Common;
using Cloud.Modules.Kernel.Db;
using Cloud.Tests.Support;
using Dapper;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>
/// MariaDB sessions go back to the pool without a reset (MySqlConnectionFactory: ConnectionReset=false), so what one
/// user of a connection leaves behind must be nothing the next one sees: a transaction an exception left open is
/// rolled back, and the session keeps utf8mb4 and the server's isolation level. Each case checks that the next open
/// really got the same session back (the pool hands out the last one returned first).
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class PooledConnectionContractTests
{
    private MySqlHarness _harness = null!;

    private IDbConnectionFactory Db => _harness.Db;

    [SetUp]
    public async Task CreateAsync()
    {
        _harness = Harness.New<MySqlHarness>();
        await ((MySqlConnectionFactory)_harness.Db).CreateDatabaseIfMissingAsync(default);
        await _harness.Db.ExecuteAsync("CREATE TABLE pooled_rows (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL)", null, default);
    }

    [TearDown]
    public async Task DropAsync()
    {
        // Null when the set-up found MariaDB missing (ignored on a developer's machine).
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    [Test]
    public async Task A_transaction_an_exception_left_open_is_rolled_back_before_the_session_is_used_again()
    {
        long session = 0;
        var work = () => Db.InTransactionAsync(async (c, t) =>
        {
            session = await SessionOfAsync(c, t);
            await c.ExecuteAsync("INSERT INTO pooled_rows (id, name) VALUES (1, 'left open')", transaction: t);
            throw new InvalidOperationException("the request failed half-way");
        }, default);

        await work.Should().ThrowAsync<InvalidOperationException>();

        await using var next = await Db.OpenAsync(default);
        (await SessionOfAsync(next)).Should().Be(session, "the pool hands back the session just returned");
        (await next.ExecuteScalarAsync<long>("SELECT @@in_transaction")).Should().Be(0);
        (await next.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pooled_rows")).Should().Be(0);
    }

    [Test]
    public async Task A_transaction_never_disposed_is_rolled_back_when_its_connection_closes()
    {
        long session;
        await using (var c = await Db.OpenAsync(default))
        {
            var t = await c.BeginTransactionAsync();
            session = await SessionOfAsync(c, t);
            await c.ExecuteAsync("INSERT INTO pooled_rows (id, name) VALUES (1, 'never committed')", transaction: t);
        }

        await using var next = await Db.OpenAsync(default);
        (await SessionOfAsync(next)).Should().Be(session);
        (await next.ExecuteScalarAsync<long>("SELECT @@in_transaction")).Should().Be(0);
        (await next.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pooled_rows")).Should().Be(0);
    }

    [Test]
    public async Task A_reused_session_keeps_utf8mb4_and_the_servers_isolation_level()
    {
        long session = 0;
        await Db.InTransactionAsync(async (c, t) =>
        {
            session = await SessionOfAsync(c, t);
            await c.ExecuteAsync("INSERT INTO pooled_rows (id, name) VALUES (1, @Name)", new { Name = "snow ☃ and 🦀" }, t);
        }, default);

        await using var next = await Db.OpenAsync(default);
        (await SessionOfAsync(next)).Should().Be(session);
        (await next.ExecuteScalarAsync<string>("SELECT @@character_set_client")).Should().Be("utf8mb4");
        (await next.ExecuteScalarAsync<string>("SELECT @@character_set_results")).Should().Be("utf8mb4");
        (await next.ExecuteScalarAsync<long>("SELECT @@session.tx_isolation = @@global.tx_isolation")).Should().Be(1);
        (await next.ExecuteScalarAsync<string>("SELECT name FROM pooled_rows WHERE id = 1")).Should().Be("snow ☃ and 🦀");
    }

    private static Task<long> SessionOfAsync(DbConnection c, DbTransaction? t = null) =>
        c.ExecuteScalarAsync<long>("SELECT CONNECTION_ID()", transaction: t);
}
