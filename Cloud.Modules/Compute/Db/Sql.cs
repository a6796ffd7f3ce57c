using System.Data.Common;
using Dapper;

namespace Cloud.Modules.Compute.Db;

/// <summary>Builds Dapper commands with the caller's transaction and cancellation.</summary>
internal static class Sql
{
    public static CommandDefinition Cmd(string sql, object? args, CancellationToken cancellationToken, DbTransaction? transaction = null) =>
        new(sql, args, transaction, cancellationToken: cancellationToken);
}
