namespace Cloud.Modules.Glance.Db;

/// <summary>SQL of the image registry; portable between SQLite and MariaDB, always parameterised.</summary>
internal static class ImageQueries
{
    public const string ImageColumns = """
        i.id AS Id, i.name AS Name, i.status AS Status, i.visibility AS Visibility, i.owner AS Owner, i.size AS Size,
        i.virtual_size AS VirtualSize, i.checksum AS Checksum, i.os_hash_algo AS OsHashAlgo, i.os_hash_value AS OsHashValue,
        i.disk_format AS DiskFormat, i.container_format AS ContainerFormat, i.min_disk AS MinDisk, i.min_ram AS MinRam,
        i.protected AS Protected, i.location AS Location, i.created_at AS CreatedAt, i.updated_at AS UpdatedAt,
        i.deleted_at AS DeletedAt, i.deleted AS Deleted, i.os_hidden AS OsHidden
        """;

    public const string InsertImage = """
        INSERT INTO images (id, name, status, visibility, owner, disk_format, container_format, min_disk, min_ram, protected,
            os_hidden, created_at, updated_at, deleted)
        VALUES (@Id, @Name, @Status, @Visibility, @Owner, @DiskFormat, @ContainerFormat, @MinDisk, @MinRam, @Protected,
            @OsHidden, @CreatedAt, @UpdatedAt, 0)
        """;

    public const string ImageExists = "SELECT COUNT(*) FROM images WHERE id = @Id";

    /// <summary>What an owner holds against its quotas: its images not deleted, and their bytes but @Id's.</summary>
    public const string OwnerUsage = """
        SELECT COUNT(*) AS Images, COALESCE(SUM(CASE WHEN id = @Id THEN 0 ELSE size END), 0) AS Bytes
        FROM images WHERE owner = @Owner AND deleted = 0
        """;

    public const string ImageById = $"SELECT {ImageColumns} FROM images i WHERE i.id = @Id AND i.deleted = 0";

    /// <summary>The user-editable attributes; status, size and hashes change only through the upload calls.</summary>
    public const string UpdateImage = """
        UPDATE images SET name = @Name, visibility = @Visibility, owner = @Owner, disk_format = @DiskFormat,
            container_format = @ContainerFormat, min_disk = @MinDisk, min_ram = @MinRam, protected = @Protected,
            os_hidden = @OsHidden, updated_at = @Now
        WHERE id = @Id AND deleted = 0
        """;

    /// <summary>A status change that only happens from the status the caller saw, so two racing changes cannot both win.</summary>
    public const string MoveStatus = "UPDATE images SET status = @To, updated_at = @Now WHERE id = @Id AND status = @From AND deleted = 0";

    public const string FinishUpload = """
        UPDATE images SET status = 'active', location = @Location, size = @Size, checksum = @Checksum,
            os_hash_algo = @OsHashAlgo, os_hash_value = @OsHashValue, updated_at = @Now
        WHERE id = @Id AND status IN ('saving', 'importing') AND deleted = 0
        """;

    /// <summary>Where the staged data of an uploading image is (the staging area), or null once it is gone.</summary>
    public const string SetStaged = "UPDATE images SET location = @Location, size = @Size, updated_at = @Now WHERE id = @Id AND status = @Status AND deleted = 0";

    /// <summary>Back to queued without data, after a failed stage or import.</summary>
    public const string Unstage = "UPDATE images SET status = 'queued', location = NULL, size = NULL, updated_at = @Now WHERE id = @Id AND status = @From AND deleted = 0";

    public const string MarkDeleted = """
        UPDATE images SET status = 'deleted', deleted = 1, deleted_at = @Now, updated_at = @Now WHERE id = @Id AND deleted = 0
        """;

    public const string PropertiesOf = "SELECT image_id AS ImageId, name AS Name, value AS Value FROM image_properties WHERE image_id IN @Ids";
    public const string InsertProperty = "INSERT INTO image_properties (image_id, name, value) VALUES (@Id, @Name, @Value)";
    public const string DeleteProperty = "DELETE FROM image_properties WHERE image_id = @Id AND name = @Name";

    public const string TagsOf = "SELECT image_id AS ImageId, value AS Value FROM image_tags WHERE image_id IN @Ids ORDER BY value";
    public const string DeleteExtras = "DELETE FROM image_properties WHERE image_id = @Id; DELETE FROM image_tags WHERE image_id = @Id";
    public const string InsertTag = "INSERT INTO image_tags (image_id, value) VALUES (@Id, @Value)";
    public const string DeleteTag = "DELETE FROM image_tags WHERE image_id = @Id AND value = @Value";

    private const string MemberColumns = "image_id AS ImageId, member AS Member, status AS Status, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public const string MembersOf = $"SELECT {MemberColumns} FROM image_members WHERE image_id = @Id ORDER BY created_at, member";
    public const string MemberOf = $"SELECT {MemberColumns} FROM image_members WHERE image_id = @Id AND member = @Member";
    public const string InsertMember = """
        INSERT INTO image_members (image_id, member, status, created_at, updated_at) VALUES (@Id, @Member, 'pending', @Now, @Now)
        """;
    public const string SetMemberStatus = "UPDATE image_members SET status = @Status, updated_at = @Now WHERE image_id = @Id AND member = @Member";
    /// <summary>Memberships of one project in images that still exist.</summary>
    public const string MembershipsOf = """
        SELECT m.image_id AS ImageId, m.member AS Member, m.status AS Status, m.created_at AS CreatedAt, m.updated_at AS UpdatedAt
        FROM image_members m JOIN images i ON i.id = m.image_id
        WHERE m.member = @Member AND i.deleted = 0 AND (@Owner IS NULL OR i.owner = @Owner)
        ORDER BY m.created_at, m.image_id
        """;

    public const string DeleteMember = "DELETE FROM image_members WHERE image_id = @Id AND member = @Member";
}
