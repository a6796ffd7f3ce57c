using Cloud.Modules.Identity.Db;
using Cloud.Modules.Kernel.Db;
using Dapper;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Identity.Tokens;

/// <summary>
/// Events that end tokens before they expire: one token (by audit id), every token of a user, or of a project,
/// issued before the event. Kept in the database so every api process learns them, and cached in memory,
/// reloaded every <c>token_revocation_refresh</c> seconds, so validating a token needs no database round trip.
/// </summary>
public sealed class TokenRevocations(IDbConnectionFactory db, IOptions<IdentityFlags> flags, TimeProvider clock)
{
    public const string AuditKind = "audit";
    public const string UserKind = "user";
    public const string ProjectKind = "project";

    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile IReadOnlyDictionary<(string Kind, string Subject), DateTime> _events = new Dictionary<(string, string), DateTime>();
    private DateTime _loadedAt = DateTime.MinValue;

    /// <summary>Records an event now; tokens issued at or before it stop working.</summary>
    public async Task RevokeAsync(string kind, string subject, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // An event only matters while a token issued before it could still be valid.
        var args = new { Kind = kind, Subject = subject, RevokedAt = now, ExpiresAt = now.AddSeconds(flags.Value.TokenExpiration + 60) };
        await using (var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await c.ExecuteAsync(new CommandDefinition(IdentityQueries.UpdateRevocation, args, cancellationToken: cancellationToken)).ConfigureAwait(false) == 0)
            {
                await c.ExecuteAsync(new CommandDefinition(IdentityQueries.InsertRevocation, args, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }
        }
        await ReloadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when an event ends a token with these facts.</summary>
    public async Task<bool> IsRevokedAsync(TokenPayload token, CancellationToken cancellationToken)
    {
        if (clock.GetUtcNow().UtcDateTime - _loadedAt > TimeSpan.FromSeconds(flags.Value.TokenRevocationRefresh))
        {
            await ReloadAsync(cancellationToken).ConfigureAwait(false);
        }
        var events = _events;
        return Ends(events, AuditKind, token.AuditId, token)
            || Ends(events, UserKind, token.UserId, token)
            || (token.ProjectId is { } p && Ends(events, ProjectKind, p, token));
    }

    // MariaDB keeps microseconds, .NET ticks are 100 ns: compare at the coarser precision, so an event in the
    // same microsecond as the issue still ends the token.
    private static bool Ends(IReadOnlyDictionary<(string, string), DateTime> events, string kind, string subject, TokenPayload token) =>
        events.TryGetValue((kind, subject), out var at) && Microseconds(at) >= Microseconds(token.IssuedAt);

    private static long Microseconds(DateTime at) => at.Ticks / 10;

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _reload.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
            var rows = await c.QueryAsync<RevocationRow>(new CommandDefinition(IdentityQueries.Revocations, new { Now = now }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            _events = rows.ToDictionary(r => (r.Kind, r.Subject), r => r.RevokedAt);
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
    }
}
