namespace Cloud.Modules.Kernel.Db;

/// <summary>The SQL dialects cloudd's migrations and queries are written for.</summary>
public enum SqlDialect
{
    Sqlite,
    MySql,
}
