namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>What a hash directory holds now.</summary>
/// <param name="Timestamp">Timestamp of the newest .data or .ts file; null when there is neither.</param>
/// <param name="IsTombstone">The newest file is a .ts: the object was deleted at <paramref name="Timestamp"/>.</param>
/// <param name="Metadata">The object's metadata (the .data file's, updated by a newer .meta); empty unless it exists.</param>
/// <param name="DataPath">Path of the .data file; null unless the object exists.</param>
public sealed record DiskFileState(string? Timestamp, bool IsTombstone, IReadOnlyDictionary<string, string> Metadata, string? DataPath)
{
    /// <summary>No file at all.</summary>
    public static DiskFileState Missing { get; } = new(null, false, new Dictionary<string, string>(), null);

    /// <summary>True when there is a .data file newer than any tombstone.</summary>
    public bool Exists => DataPath is not null;

    /// <summary>Timestamp of the newest change (data or metadata); for the 409 check of a POST.</summary>
    public string? MetadataTimestamp => Metadata.TryGetValue("X-Timestamp", out var ts) ? ts : Timestamp;
}
