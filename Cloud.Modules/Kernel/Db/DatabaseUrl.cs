using Cloud.Modules.Kernel.Flags;

namespace Cloud.Modules.Kernel.Db;

/// <summary>
/// A parsed <c>--sql_connection</c>, in SQLAlchemy's URL form as nova.conf had it:
/// <c>mysql://user:pass@host[:port]/db[?charset=utf8]</c> (also <c>mysql+pymysql://</c>),
/// <c>sqlite:///relative/path</c>, <c>sqlite:////absolute/path</c>, or <c>sqlite://</c> for an in-memory database.
/// </summary>
public sealed record DatabaseUrl(SqlDialect Dialect, string? Host, int Port, string? User, string? Password, string Database)
{
    public const string InMemory = ":memory:";

    public static DatabaseUrl Parse(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            throw FlagError.Of($"--sql_connection={Secrets.MaskUrlPassword(url)} is not a database URL (mysql://user:pass@host/db or sqlite:///path)");
        }
        var kind = url[..scheme].ToLowerInvariant();
        var rest = url[(scheme + 3)..];
        return kind switch
        {
            "sqlite" => new DatabaseUrl(SqlDialect.Sqlite, null, 0, null, null, SqlitePath(rest)),
            "mysql" or "mysql+pymysql" or "mysql+mysqldb" or "mariadb" => ParseMySql(url, rest),
            _ => throw FlagError.Of($"--sql_connection: unsupported database '{kind}' (use mysql:// or sqlite://)"),
        };
    }

    private static string SqlitePath(string rest)
    {
        if (rest.Length == 0)
        {
            return InMemory;
        }
        if (!rest.StartsWith('/'))
        {
            throw FlagError.Of($"--sql_connection=sqlite://{rest}: write sqlite:///relative/path or sqlite:////absolute/path");
        }
        var path = rest[1..];
        return path.Length == 0 ? InMemory : Path.GetFullPath(path);
    }

    private static DatabaseUrl ParseMySql(string url, string rest)
    {
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            rest = rest[..query];
        }
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var database = slash < 0 ? "" : rest[(slash + 1)..];
        var authority = slash < 0 ? rest : rest[..slash];
        if (database.Length == 0)
        {
            throw FlagError.Of($"--sql_connection={Secrets.MaskUrlPassword(url)} names no database (mysql://user:pass@host/DATABASE)");
        }
        string? user = null, password = null;
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var credentials = authority[..at];
            authority = authority[(at + 1)..];
            var colon = credentials.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? credentials : credentials[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(credentials[(colon + 1)..]);
        }
        var port = 3306;
        var portSep = authority.LastIndexOf(':');
        if (portSep >= 0)
        {
            if (!int.TryParse(authority[(portSep + 1)..], out port) || port is <= 0 or > 65535)
            {
                throw FlagError.Of($"--sql_connection={Secrets.MaskUrlPassword(url)}: bad port '{authority[(portSep + 1)..]}'");
            }
            authority = authority[..portSep];
        }
        if (authority.Length == 0)
        {
            throw FlagError.Of($"--sql_connection={Secrets.MaskUrlPassword(url)} names no host");
        }
        return new DatabaseUrl(SqlDialect.MySql, authority, port, user, password, database);
    }

    /// <summary>The URL without its password, for logs and messages.</summary>
    public override string ToString() => Dialect == SqlDialect.Sqlite
        ? $"sqlite:///{Database}"
        : $"mysql://{User}{(Password is null ? "" : ":***")}@{Host}:{Port}/{Database}";
}
