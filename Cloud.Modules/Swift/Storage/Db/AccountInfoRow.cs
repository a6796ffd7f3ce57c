namespace Cloud.Modules.Swift.Storage.Db;

/// <summary>The account_info row of an account database with its live totals.</summary>
public sealed class AccountInfoRow : IDatabaseInfoRow
{
    public string Account { get; init; } = "";

    public string CreatedAt { get; init; } = "";

    public string PutTimestamp { get; init; } = "";

    public string DeleteTimestamp { get; init; } = "";

    public string Metadata { get; init; } = "{}";

    public long ContainerCount { get; init; }

    public long ObjectCount { get; init; }

    public long BytesUsed { get; init; }

    public bool IsDeleted => string.CompareOrdinal(DeleteTimestamp, PutTimestamp) > 0;
}
