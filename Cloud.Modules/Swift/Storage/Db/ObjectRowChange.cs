namespace Cloud.Modules.Swift.Storage.Db;

/// <summary>One object row an object server sends after a PUT (<paramref name="Deleted"/> 0) or a DELETE (1), merged by <see cref="ContainerQueries.MergeObject"/>.</summary>
internal sealed record ObjectRowChange(string Name, string CreatedAt, long Size, string ContentType, string Etag, int Deleted);
