using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Compute.Db;

/// <summary>Runs the SQL of key pairs for <see cref="KeyPairApi"/>.</summary>
public sealed class KeyPairStore(IDbConnectionFactory db)
{
    /// <summary>The <c>quota_locks</c> scope of key pairs (per user).</summary>
    public const string QuotaScope = "key_pairs";

    public Task<IReadOnlyList<KeyPair>> ListAsync(string? userId, CancellationToken cancellationToken) =>
        db.QueryListAsync<KeyPair>(KeyPairQueries.ByUser, new { UserId = userId }, cancellationToken);

    public Task<KeyPair?> FindAsync(string? userId, string name, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<KeyPair>(KeyPairQueries.ByName, new { UserId = userId, Name = name }, cancellationToken);

    /// <summary>
    /// Inserts the pair <paramref name="create"/> makes, in one transaction with the checks before it:
    /// <paramref name="checkCount"/> is given how many pairs the user has, and a pair of that name is a Conflict.
    /// </summary>
    public async Task<KeyPair> InsertAsync(string? userId, string name, Action<long> checkCount, Func<KeyPair> create, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkCount);
        ArgumentNullException.ThrowIfNull(create);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Key pairs count per user: the user's lock row serialises concurrent imports against the quota.
        await using var t = await QuotaLocks.BeginHeldAsync(c, db.Dialect, userId ?? "", QuotaScope, cancellationToken).ConfigureAwait(false);
        checkCount(await c.ExecuteScalarAsync<long>(Cmd(KeyPairQueries.Count, new { UserId = userId }, cancellationToken, t)).ConfigureAwait(false));
        if (await c.QuerySingleOrDefaultAsync<KeyPair>(Cmd(KeyPairQueries.ByName, new { UserId = userId, Name = name }, cancellationToken, t)).ConfigureAwait(false) is not null)
        {
            throw CloudException.Conflict($"Key pair '{name}' already exists.");
        }
        var pair = create();
        await c.ExecuteAsync(Cmd(KeyPairQueries.Insert, new { pair.UserId, pair.ProjectId, pair.Name, pair.Fingerprint, pair.PublicKey, pair.Type, Now = pair.CreatedAt }, cancellationToken, t)).ConfigureAwait(false);
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return pair;
    }

    /// <summary>False when the user has no pair of that name.</summary>
    public async Task<bool> DeleteAsync(string? userId, string name, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(KeyPairQueries.Delete, new { UserId = userId, Name = name }, cancellationToken).ConfigureAwait(false) > 0;
}
