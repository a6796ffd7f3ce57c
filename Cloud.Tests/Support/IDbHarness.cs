using Cloud.Modules.Kernel.Db;

namespace Cloud.Tests.Support;

/// <summary>One database engine under the contract tests, on a fresh empty database.</summary>
public interface IDbHarness : IAsyncDisposable
{
    /// <summary>The database as a --sql_connection URL.</summary>
    string SqlConnection { get; }

    IDbConnectionFactory Db { get; }
}
