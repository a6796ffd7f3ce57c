using System.Globalization;
using System.Text;
using Dapper;

namespace Cloud.Modules.Compute.Db;

/// <summary>
/// Multi-row INSERT statements gathered into one command (its text and its parameters), so that a create writes all
/// its rows in one round trip instead of one per row. Both engines run a command of several statements.
/// </summary>
internal sealed class InsertBatch
{
    // SQLite's oldest limit is 999 variables per statement; a statement takes as many rows as stay under it.
    private const int MaxParametersPerStatement = 900;

    private readonly StringBuilder _sql = new();

    private int _parameters;

    public DynamicParameters Parameters { get; } = new();

    public string Sql => _sql.ToString();

    /// <summary>Adds <paramref name="rows"/> (each a value per column of <paramref name="insertInto"/>, <c>INSERT INTO t (a, b)</c>).</summary>
    public void Add(string insertInto, IReadOnlyList<object?[]> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var perStatement = Math.Max(1, MaxParametersPerStatement / rows[0].Length);
        for (var start = 0; start < rows.Count; start += perStatement)
        {
            _sql.Append(insertInto).Append(" VALUES ");
            for (var r = start; r < Math.Min(rows.Count, start + perStatement); r++)
            {
                _sql.Append(r == start ? "(" : ", (");
                for (var v = 0; v < rows[r].Length; v++)
                {
                    var name = "p" + (_parameters++).ToString(CultureInfo.InvariantCulture);
                    Parameters.Add(name, rows[r][v]);
                    _sql.Append(v == 0 ? "@" : ", @").Append(name);
                }
                _sql.Append(')');
            }
            _sql.Append(";\n");
        }
    }
}
