namespace Cloud.Modules.Kernel.Db;

/// <summary>
/// One numbered schema change, from an embedded <c>Migrations/NNNN_name.sql</c> file of any module
/// (or its <c>.mysql.sql</c> / <c>.sqlite.sql</c> variants where the dialects differ).
/// </summary>
public sealed record Migration(int Version, string Name, IReadOnlyDictionary<SqlDialect, string> Sql)
{
    public string SqlFor(SqlDialect dialect) =>
        Sql.TryGetValue(dialect, out var sql)
            ? sql
            : throw new InvalidOperationException($"Migration {Version:0000}_{Name} has no SQL for {dialect}.");

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
