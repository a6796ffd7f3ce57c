using System.Data.Common;

namespace Cloud.Modules.Kernel.Db;

/// <summary>Opens connections to the cloud's database (SQLite or MariaDB/MySQL, from <c>--sql_connection</c>).</summary>
public interface IDbConnectionFactory
{
    SqlDialect Dialect { get; }

    /// <summary>The database, password masked, for messages.</summary>
    string Description { get; }

    /// <summary>An open connection; the caller disposes it.</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);
}
