using System.Data.Common;
using Cloud.Modules.Kernel.Db;

namespace Cloud.Tests.Support;

/// <summary>A database a test can take away: while <see cref="Down"/>, opening a connection fails as it does with the server stopped.</summary>
public sealed class SwitchableDb(IDbConnectionFactory inner) : IDbConnectionFactory
{
    private volatile bool _down;

    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    public SqlDialect Dialect => inner.Dialect;

    public string Description => inner.Description;

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        Down ? throw new DatabaseUnavailableException($"cannot connect to {Description}: stopped by the test") : inner.OpenAsync(cancellationToken);
}
