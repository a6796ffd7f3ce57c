using System.Collections.Concurrent;
using Cloud.Modules.Identity.Db;
using Cloud.Modules.Kernel.Db;
using Dapper;
using Microsoft.Extensions.Options;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Identity.Tokens;

/// <summary>
/// Events that end tokens before they expire: one token (by audit id), every token of a user, of a project, or of an application credential,
/// issued before the event. Kept in the database so every api process learns them, and cached in memory, so
/// validating a token needs no database round trip. Every <c>token_revocation_refresh</c> seconds a process reads
/// only the events recorded since its previous read (less <see cref="Overlap"/>, for a writer whose commit or clock
/// lags: api hosts' clocks must agree within it, as NTP keeps them), never the whole table. A user has at most <c>max_token_revocations_per_user</c> single-token events:
/// revoking past it records one "every token of this user issued before now" event instead (keystone's revocation
/// events work the same way), so no user can grow the table, or every process's reload, without bound.
/// </summary>
public sealed class TokenRevocations(IDbConnectionFactory db, IOptions<IdentityFlags> flags, TimeProvider clock)
{
    public const string AuditKind = "audit";
    public const string UserKind = "user";
    public const string ProjectKind = "project";
    public const string ApplicationCredentialKind = "appcred";

    /// <summary>How far before the previous read each incremental read starts again.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly ConcurrentDictionary<(string Kind, string Subject), (DateTime RevokedAt, DateTime ExpiresAt)> _events = new();
    private DateTime _loadedAt = DateTime.MinValue;

    /// <summary>How many rows the last reload read (a test's view of how incremental it is).</summary>
    internal int LastLoadedRows { get; private set; }

    /// <summary>Records an event now; tokens issued at or before it stop working.</summary>
    /// <param name="kind"><see cref="AuditKind"/>, <see cref="UserKind"/>, <see cref="ProjectKind"/> or <see cref="ApplicationCredentialKind"/>.</param>
    /// <param name="subject">The audit id, user id, project id or application credential id.</param>
    /// <param name="userId">For <see cref="AuditKind"/>: whose token it is, counted against the per-user cap.</param>
    /// <param name="cancellationToken">Cancels the database work.</param>
    public async Task RevokeAsync(string kind, string subject, CancellationToken cancellationToken, string? userId = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            if (kind == AuditKind && userId is not null)
            {
                var revoked = await c.ExecuteScalarAsync<long>(Cmd(IdentityQueries.CountUserTokenRevocations, new { UserId = userId, Now = now }, cancellationToken)).ConfigureAwait(false);
                if (revoked >= flags.Value.MaxTokenRevocationsPerUser)
                {
                    // One event now ends this token and every other the user holds; their single events are moot.
                    (kind, subject) = (UserKind, userId);
                    await c.ExecuteAsync(Cmd(IdentityQueries.DeleteUserTokenRevocations, new { UserId = userId }, cancellationToken)).ConfigureAwait(false);
                }
            }
            // An event only matters while a token issued before it could still be valid.
            var args = new { Kind = kind, Subject = subject, RevokedAt = now, ExpiresAt = now.AddSeconds(flags.Value.TokenExpiration + 60), UserId = userId };
            if (await c.ExecuteAsync(Cmd(IdentityQueries.UpdateRevocation, args, cancellationToken)).ConfigureAwait(false) == 0)
            {
                await c.ExecuteAsync(Cmd(IdentityQueries.InsertRevocation, args, cancellationToken)).ConfigureAwait(false);
            }
            await c.ExecuteAsync(Cmd(IdentityQueries.DeleteExpiredRevocations, new { Now = now }, cancellationToken)).ConfigureAwait(false);
        }
        _events[(kind, subject)] = (now, now.AddSeconds(flags.Value.TokenExpiration + 60));
        await ReloadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when an event ends a token with these facts.</summary>
    public async Task<bool> IsRevokedAsync(TokenPayload token, CancellationToken cancellationToken)
    {
        if (clock.GetUtcNow().UtcDateTime - _loadedAt > TimeSpan.FromSeconds(flags.Value.TokenRevocationRefresh))
        {
            await ReloadAsync(cancellationToken).ConfigureAwait(false);
        }
        return Ends(AuditKind, token.AuditId, token)
            || Ends(UserKind, token.UserId, token)
            || (token.ProjectId is { } p && Ends(ProjectKind, p, token))
            || (token.ApplicationCredentialId is { } c && Ends(ApplicationCredentialKind, c, token));
    }

    // MariaDB keeps microseconds, .NET ticks are 100 ns: compare at the coarser precision, so an event in the
    // same microsecond as the issue still ends the token.
    private bool Ends(string kind, string subject, TokenPayload token) =>
        _events.TryGetValue((kind, subject), out var e) && Microseconds(e.RevokedAt) >= Microseconds(token.IssuedAt);

    private static long Microseconds(DateTime at) => at.Ticks / 10;

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _reload.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var since = _loadedAt == DateTime.MinValue ? DateTime.MinValue : _loadedAt - Overlap;
            await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
            var rows = (await c.QueryAsync<RevocationRow>(Cmd(IdentityQueries.RevocationsSince, new { Since = since, Now = now }, cancellationToken)).ConfigureAwait(false)).AsList();
            foreach (var row in rows)
            {
                _events.AddOrUpdate((row.Kind, row.Subject), (row.RevokedAt, row.ExpiresAt),
                    (_, old) => old.RevokedAt >= row.RevokedAt ? old : (row.RevokedAt, row.ExpiresAt));
            }
            foreach (var expired in _events.Where(e => e.Value.ExpiresAt <= now).Select(e => e.Key).ToList())
            {
                _events.TryRemove(expired, out _);
            }
            LastLoadedRows = rows.Count;
            _loadedAt = now;
        }
        finally
        {
            _reload.Release();
        }
    }

    private sealed class RevocationRow
    {
        public string Kind { get; init; } = "";

        public string Subject { get; init; } = "";

        public DateTime RevokedAt { get; init; }

        public DateTime ExpiresAt { get; init; }
    }
}
