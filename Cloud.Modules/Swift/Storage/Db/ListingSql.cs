namespace Cloud.Modules.Swift.Storage.Db;

/// <summary>
/// The four queries a listing window needs (ascending or descending, with or without an upper bound), built from
/// one <c>SELECT ... WHERE ... AND name &gt;= @Lower</c>, so the container and account databases page alike.
/// </summary>
internal sealed class ListingSql(string selectFromLower)
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
}
