using System.Data.Common;
using Dapper;

namespace Cloud.Modules.Kernel.Db;

/// <summary>
/// Builds Dapper commands with the caller's transaction and cancellation, so no query can forget the token.
/// Every module's store uses this one helper (<c>using static Cloud.Modules.Kernel.Db.Sql;</c>).
/// </summary>
public static class Sql
{
    public static CommandDefinition Cmd(string sql, object? args, CancellationToken cancellationToken, DbTransaction? transaction = null) =>
        new(sql, args, transaction, cancellationToken: cancellationToken);
}
