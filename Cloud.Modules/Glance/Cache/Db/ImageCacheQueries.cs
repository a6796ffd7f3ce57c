namespace Cloud.Modules.Glance.Cache.Db;

/// <summary>SQL of the cache index, a SQLite file in the cache directory (glance's sqlite cache driver, same table).</summary>
internal static class ImageCacheQueries
{
    private const string Columns =
        "image_id AS ImageId, last_accessed AS LastAccessed, last_modified AS LastModified, size AS Size, hits AS Hits, checksum AS Checksum";

    public const string CreateTable = """
        CREATE TABLE IF NOT EXISTS cached_images (
            image_id TEXT PRIMARY KEY,
            last_accessed REAL DEFAULT 0.0,
            last_modified REAL DEFAULT 0.0,
            size INTEGER DEFAULT 0,
            hits INTEGER DEFAULT 0,
            checksum TEXT
        )
        """;

    public const string Upsert = """
        INSERT INTO cached_images (image_id, last_accessed, last_modified, size, hits, checksum)
        VALUES (@ImageId, @Now, @Now, @Size, 0, @Checksum)
        ON CONFLICT (image_id) DO UPDATE SET last_accessed = @Now, last_modified = @Now, size = @Size, hits = 0, checksum = @Checksum
        """;

    public const string ById = $"SELECT {Columns} FROM cached_images WHERE image_id = @ImageId";
    public const string All = $"SELECT {Columns} FROM cached_images ORDER BY last_accessed DESC, image_id";
    public const string LeastRecentlyUsed = $"SELECT {Columns} FROM cached_images ORDER BY last_accessed, image_id";
    public const string TotalSize = "SELECT COALESCE(SUM(size), 0) FROM cached_images";
    public const string Hit = "UPDATE cached_images SET hits = hits + 1, last_accessed = @Now WHERE image_id = @ImageId";
    public const string Delete = "DELETE FROM cached_images WHERE image_id = @ImageId";
}
