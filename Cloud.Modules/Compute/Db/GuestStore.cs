using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Compute.Db;

/// <summary>What the metadata service tells a guest about its own instance, read in one round trip.</summary>
public sealed class GuestStore(IDbConnectionFactory db)
{
    /// <summary>The live instance <paramref name="uuid"/>, its flavor's name, metadata and security group names; null when gone.</summary>
    public async Task<(Instance Instance, string? Flavor, IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<string> Groups)?> ByInstanceAsync(
        string uuid, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var results = await c.QueryMultipleAsync(Cmd(GuestQueries.ByInstance, new { Uuid = uuid }, cancellationToken)).ConfigureAwait(false);
        var instance = await results.ReadSingleOrDefaultAsync<Instance>().ConfigureAwait(false);
        var flavor = await results.ReadSingleOrDefaultAsync<string>().ConfigureAwait(false);
        var metadata = await results.ReadAsync<MetadataRow>().ConfigureAwait(false);
        var groups = await results.ReadAsync<string>().ConfigureAwait(false);
        return instance is null ? null : (instance, flavor, metadata.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal), groups.AsList());
    }

    private sealed class MetadataRow
    {
        public string Key { get; init; } = "";

        public string Value { get; init; } = "";
    }
}
