using System.Data.Common;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Cloud.Modules.Kernel.Db;

/// <summary>
/// The current row of a <see cref="DbDataReader"/>, read by ordinal. On SQLite the columns are read straight from
/// the reader's statement: Microsoft.Data.Sqlite's getters make two or three P/Invokes a column (a type check, then
/// the value) through SQLitePCL, each taking and releasing the statement's SafeHandle; for a <c>/servers/detail</c>
/// page of 1,000 servers that SafeHandle traffic was 60 % of the samples under InstanceRow.Read (perf). Here a string
/// is one call for the text and one for its length, a number one call; the type is asked only to tell a NULL from
/// an empty value. The values are those the getters return (SQLite converts the same way; a string keeps any NUL it
/// holds, as the getter's does). MariaDB's readers go through the getters as before.
/// </summary>
public readonly partial struct DbRow
{
    private const int SqliteNull = 5;

    private readonly DbDataReader reader;
    private readonly IntPtr statement;

    private DbRow(DbDataReader reader, IntPtr statement)
    {
        this.reader = reader;
        this.statement = statement;
    }

    /// <summary>The row <paramref name="reader"/> is on; valid until its next Read.</summary>
    public static DbRow Of(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        // Dapper's ExecuteReader hands back the provider's reader wrapped (to dispose its command with it).
        var inner = reader is Dapper.IWrappedDataReader wrapped ? wrapped.Reader : reader;
        return new(reader, inner is SqliteDataReader { Handle: { } statement } ? statement.DangerousGetHandle() : IntPtr.Zero);
    }

    /// <summary>True when the columns come from a SQLite statement (which keeps dates as text).</summary>
    public bool IsSqlite => statement != IntPtr.Zero;

    public bool IsNull(int ordinal) => IsSqlite ? sqlite3_column_type(statement, ordinal) == SqliteNull : reader.IsDBNull(ordinal);

    /// <summary>A NOT NULL text column.</summary>
    public string String(int ordinal) => IsSqlite ? StringOrNull(ordinal) ?? throw NullColumn(ordinal) : reader.GetString(ordinal);

    public unsafe string? StringOrNull(int ordinal)
    {
        if (!IsSqlite)
        {
            return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
        }
        var text = sqlite3_column_text(statement, ordinal);
        if (text is null)
        {
            return sqlite3_column_type(statement, ordinal) == SqliteNull ? null : throw new OutOfMemoryException($"SQLite could not give column {ordinal} as text.");
        }
        return Encoding.UTF8.GetString(text, sqlite3_column_bytes(statement, ordinal));
    }

    /// <summary>A NOT NULL integer column.</summary>
    public long Int64(int ordinal)
    {
        if (!IsSqlite)
        {
            return reader.GetInt64(ordinal);
        }
        var value = sqlite3_column_int64(statement, ordinal);
        // SQLite reads NULL as 0: only a 0 needs the type asked, to refuse a NULL as the getter does.
        return value == 0 && sqlite3_column_type(statement, ordinal) == SqliteNull ? throw NullColumn(ordinal) : value;
    }

    public long? Int64OrNull(int ordinal) => IsNull(ordinal) ? null : Int64(ordinal);

    public int Int32(int ordinal) => IsSqlite ? checked((int)Int64(ordinal)) : reader.GetInt32(ordinal);

    public bool Boolean(int ordinal) => IsSqlite ? Int64(ordinal) != 0 : reader.GetBoolean(ordinal);

    private static InvalidCastException NullColumn(int ordinal) => new($"Column {ordinal} is NULL.");

    [LibraryImport("e_sqlite3")]
    private static unsafe partial byte* sqlite3_column_text(IntPtr statement, int column);

    [LibraryImport("e_sqlite3")]
    private static partial int sqlite3_column_bytes(IntPtr statement, int column);

    [LibraryImport("e_sqlite3")]
    private static partial int sqlite3_column_type(IntPtr statement, int column);

    [LibraryImport("e_sqlite3")]
    private static partial long sqlite3_column_int64(IntPtr statement, int column);
}
