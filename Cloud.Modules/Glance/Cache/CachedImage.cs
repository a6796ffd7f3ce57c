namespace Cloud.Modules.Glance.Cache;

/// <summary>A row of the cache index: an image whose data is in the cache, checked against its checksum.</summary>
public sealed class CachedImage
{
    public string ImageId { get; init; } = "";

    /// <summary>Unix time (seconds) of the last read.</summary>
    public double LastAccessed { get; init; }

    /// <summary>Unix time (seconds) the image entered the cache.</summary>
    public double LastModified { get; init; }

    public long Size { get; init; }

    /// <summary>Reads served from the cache.</summary>
    public long Hits { get; init; }

    /// <summary>Hex MD5 the data was checked against, or null when the image had none.</summary>
    public string? Checksum { get; init; }
}
