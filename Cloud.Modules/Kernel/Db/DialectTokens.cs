using System.Text.RegularExpressions;

namespace Cloud.Modules.Kernel.Db;

/// <summary>
/// The few spellings a migration needs per dialect, written <c>{{name}}</c> in one shared <c>NNNN_name.sql</c>
/// so the file need not be copied into <c>.mysql.sql</c> and <c>.sqlite.sql</c> for a column type:
/// <c>{{autoincrement_pk}}</c> (an integer key the database numbers) and <c>{{table_options}}</c> (after a
/// <c>CREATE TABLE</c>'s closing parenthesis: MariaDB's engine and character set, nothing on SQLite),
/// <c>{{add_column}}</c> (after an <c>ALTER</c> of a table, before the new column) and <c>{{cast_text}}</c> (in <c>CAST(x AS {{cast_text}})</c>).
/// An unknown token is an error, so a typo never reaches the database.
/// </summary>
public static partial class DialectTokens
{
    private static readonly Dictionary<string, (string MySql, string Sqlite)> Spellings = new(StringComparer.Ordinal)
    {
        ["autoincrement_pk"] = ("INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY", "INTEGER PRIMARY KEY AUTOINCREMENT"),
        ["table_options"] = (" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", ""),
        // MariaDB commits each ALTER on its own, so a migration cut short is re-run over columns it already added;
        // SQLite's DDL is transactional (and it has no IF NOT EXISTS for columns).
        ["add_column"] = ("ADD COLUMN IF NOT EXISTS", "ADD COLUMN"),
        ["cast_text"] = ("CHAR", "TEXT"),
    };

    /// <summary><paramref name="script"/> with every token spelled for <paramref name="dialect"/>.</summary>
    public static string Render(string script, SqlDialect dialect) =>
        Token().Replace(script, match =>
        {
            var name = match.Groups["name"].Value;
            if (!Spellings.TryGetValue(name, out var spelling))
            {
                throw new InvalidOperationException($"Unknown dialect token {{{{{name}}}}} (known: {string.Join(", ", Spellings.Keys)}).");
            }
            return dialect == SqlDialect.MySql ? spelling.MySql : spelling.Sqlite;
        });

    [GeneratedRegex(@"\{\{(?<name>[a-z0-9_]+)\}\}")]
    private static partial Regex Token();
}
