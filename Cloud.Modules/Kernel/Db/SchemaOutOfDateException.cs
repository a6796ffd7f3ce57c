namespace Cloud.Modules.Kernel.Db;

/// <summary>The database's schema is not the one this cloudd was built for; the message says what to do.</summary>
public sealed class SchemaOutOfDateException(string database, int current, int required)
    : Exception(current < required
        ? $"database {database} is at schema version {current}, this cloudd needs {required}: run 'cloudd manage db sync'"
        : $"database {database} is at schema version {current}, newer than this cloudd knows ({required}): upgrade cloudd")
{
    public int Current { get; } = current;

    public int Required { get; } = required;
}
