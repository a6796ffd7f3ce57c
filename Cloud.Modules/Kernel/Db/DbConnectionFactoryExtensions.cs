using System.Data.Common;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Kernel.Db;

/// <summary>One command on a connection of its own: what most store methods are, written once.</summary>
public static class DbConnectionFactoryExtensions
{
    public static async Task<IReadOnlyList<T>> QueryListAsync<T>(this IDbConnectionFactory db, string sql, object? args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await c.QueryAsync<T>(Cmd(sql, args, cancellationToken)).ConfigureAwait(false)).AsList();
    }

    public static async Task<T?> QuerySingleOrDefaultAsync<T>(this IDbConnectionFactory db, string sql, object? args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<T>(Cmd(sql, args, cancellationToken)).ConfigureAwait(false);
    }

    public static async Task<T?> ExecuteScalarAsync<T>(this IDbConnectionFactory db, string sql, object? args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.ExecuteScalarAsync<T>(Cmd(sql, args, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Runs a statement; returns the rows it changed.</summary>
    public static async Task<int> ExecuteAsync(this IDbConnectionFactory db, string sql, object? args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.ExecuteAsync(Cmd(sql, args, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Runs statements in one transaction, committed when <paramref name="work"/> returns.</summary>
    public static async Task InTransactionAsync(this IDbConnectionFactory db, Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(work);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await work(c, t).ConfigureAwait(false);
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
