namespace Cloud.Modules.Kernel.Db;

/// <summary>
/// One numbered schema change, from an embedded <c>Migrations/NNNN_name.sql</c> file of any module
/// (or its <c>.mysql.sql</c> / <c>.sqlite.sql</c> variants where the SQL really differs; a type that differs is a
/// <see cref="DialectTokens"/> token in the one shared file).
/// </summary>
public sealed record Migration(int Version, string Name, IReadOnlyDictionary<SqlDialect, string> Sql)
{
    /// <summary>The script for <paramref name="dialect"/>, its <see cref="DialectTokens"/> spelled out.</summary>
    public string SqlFor(SqlDialect dialect) =>
        Sql.TryGetValue(dialect, out var sql)
            ? DialectTokens.Render(sql, dialect)
            : throw new InvalidOperationException($"Migration {Version:0000}_{Name} has no SQL for {dialect}.");

    /// <summary>Schema statements: MariaDB commits each by itself, so a rerun after a failure may meet it done.</summary>
    public static bool IsDdl(string statement) =>
        FirstWord(statement) is "CREATE" or "ALTER" or "DROP" or "RENAME" or "TRUNCATE";

    /// <summary>
    /// Whether a rerun of <paramref name="statement"/> after it already took effect succeeds (DML is always rerun
    /// safely: its progress record commits with it). MariaDB DDL must use its <c>IF [NOT] EXISTS</c> forms.
    /// </summary>
    public static bool IsRerunnable(string statement)
    {
        if (!IsDdl(statement))
        {
            return true;
        }
        var text = string.Join(' ', statement.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
        return FirstWord(statement) switch
        {
            "CREATE" => text.Contains(" IF NOT EXISTS ", StringComparison.Ordinal),
            "DROP" => text.Contains(" IF EXISTS ", StringComparison.Ordinal),
            "ALTER" => text.Contains(" IF NOT EXISTS ", StringComparison.Ordinal) || text.Contains(" IF EXISTS ", StringComparison.Ordinal),
            _ => false,
        };
    }

    private static string FirstWord(string statement)
    {
        var trimmed = statement.TrimStart();
        var end = trimmed.IndexOfAny([' ', '\n', '\t', '\r']);
        return (end < 0 ? trimmed : trimmed[..end]).ToUpperInvariant();
    }

    /// <summary>Splits a script into statements at lines ending with <c>;</c> (comments stripped).</summary>
    public static IEnumerable<string> Statements(string script)
    {
        var current = new List<string>();
        foreach (var line in script.Split('\n'))
        {
            var text = line.TrimEnd('\r');
            if (text.TrimStart().StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }
            current.Add(text);
            if (text.TrimEnd().EndsWith(';'))
            {
                yield return string.Join('\n', current).Trim().TrimEnd(';');
                current.Clear();
            }
        }
        var rest = string.Join('\n', current).Trim();
        if (rest.Length > 0)
        {
            yield return rest;
        }
    }
}
