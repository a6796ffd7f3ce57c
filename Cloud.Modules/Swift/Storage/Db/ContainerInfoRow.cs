namespace Cloud.Modules.Swift.Storage.Db;

/// <summary>The container_info row of a container database with its live totals.</summary>
public sealed class ContainerInfoRow : IDatabaseInfoRow
{
    public string Account { get; init; } = "";

    public string Container { get; init; } = "";

    public string CreatedAt { get; init; } = "";

    public string PutTimestamp { get; init; } = "";

    public string DeleteTimestamp { get; init; } = "";

    public string Metadata { get; init; } = "{}";

    public long ObjectCount { get; init; }

    public long BytesUsed { get; init; }

    /// <summary>The container's storage policy index, kept in its metadata by the container server.</summary>
    public string PolicyIndex => ContainerMetadata.Get(Metadata, Common.SwiftStoragePolicies.IndexHeader) ?? "0";

    /// <summary>Swift's rule: deleted once a delete is newer than the last PUT and no object is left.</summary>
    public bool IsDeleted => ObjectCount == 0 && string.CompareOrdinal(DeleteTimestamp, PutTimestamp) > 0;
}
