namespace Cloud.Modules.Swift.Storage.Db;

/// <summary>What the info rows of account and container databases share: the timestamps, metadata and object totals their servers answer with.</summary>
public interface IDatabaseInfoRow
{
    string Account { get; }

    string CreatedAt { get; }

    string PutTimestamp { get; }

    string Metadata { get; }

    long ObjectCount { get; }

    long BytesUsed { get; }

    /// <summary>Whether the account or container counts as deleted (each by its own rule).</summary>
    bool IsDeleted { get; }
}
