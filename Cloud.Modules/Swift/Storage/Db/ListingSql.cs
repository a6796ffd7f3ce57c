using System.Data.Common;

namespace Cloud.Modules.Swift.Storage.Db;

/// <summary>
/// The four queries a listing window needs (ascending or descending, with or without an upper bound), built from
/// one <c>SELECT ... WHERE ... AND name &gt;= @Lower</c>, so the container and account databases page alike, and how
/// one row of its columns is read.
/// </summary>
/// <param name="selectFromLower">The SELECT, its columns in the order <paramref name="read"/> takes them.</param>
/// <param name="read">Reads the current row by ordinal with the typed getters: a mapper's GetValue per column
/// (boxing, and the column's type looked up each time) was over half of a container server's CPU for a page.</param>
internal sealed class ListingSql(string selectFromLower, Func<DbDataReader, IListingRow> read)
{
    private readonly string _asc = $"{selectFromLower} ORDER BY name LIMIT @Limit";
    private readonly string _ascUpper = $"{selectFromLower} AND name < @Upper ORDER BY name LIMIT @Limit";
    private readonly string _desc = $"{selectFromLower} ORDER BY name DESC LIMIT @Limit";
    private readonly string _descUpper = $"{selectFromLower} AND name < @Upper ORDER BY name DESC LIMIT @Limit";

    public string For(ContainerListingWindow window) => (window.Reverse, window.Upper is null) switch
    {
        (false, true) => _asc,
        (false, false) => _ascUpper,
        (true, true) => _desc,
        (true, false) => _descUpper,
    };

    /// <summary>The current row of a reader over <see cref="For"/>'s query.</summary>
    public IListingRow Read(DbDataReader reader) => read(reader);
}
