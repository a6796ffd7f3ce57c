using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cloud.Modules.Identity.Db;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Identity.Tokens;

/// <summary>
/// Turns a <see cref="TokenPayload"/> into a token string and back: <c>base64url(json).base64url(HMAC-SHA256)</c>.
/// The key lives in the database as the single row <c>current</c> (made by the first process that needs it, race-free),
/// so every api process can check every token without asking anyone.
/// </summary>
public sealed class TokenSigner(IDbConnectionFactory db)
{
    private readonly SemaphoreSlim _load = new(1, 1);
    private byte[]? _key;

    public async Task<string> SignAsync(TokenPayload payload, CancellationToken cancellationToken)
    {
        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        var body = JsonSerializer.SerializeToUtf8Bytes(payload);
        return $"{Base64Url(body)}.{Base64Url(HMACSHA256.HashData(key, body))}";
    }

    /// <summary>The payload when the token is well-formed and signed by us; otherwise null.</summary>
    public async Task<TokenPayload?> ReadAsync(string token, CancellationToken cancellationToken)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || token.Length > 4096)
        {
            return null;
        }
        byte[] body, signature;
        try
        {
            body = FromBase64Url(token[..dot]);
            signature = FromBase64Url(token[(dot + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, body), signature))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<TokenPayload>(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        if (_key is { } key)
        {
            return key;
        }
        await _load.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_key is null)
            {
                await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
                var secret = await c.ExecuteScalarAsync<string?>(Cmd(IdentityQueries.SigningKey, null, cancellationToken)).ConfigureAwait(false);
                if (secret is null)
                {
                    // Processes starting together race here: each offers a key, the primary key keeps exactly one, and
                    // everyone re-reads the one the database holds. A key from before the fixed id is offered first.
                    var offered = await c.ExecuteScalarAsync<string?>(Cmd(IdentityQueries.LegacySigningKey, null, cancellationToken)).ConfigureAwait(false)
                        ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                    var insert = db.Dialect == SqlDialect.MySql ? IdentityQueries.InsertSigningKeyIfAbsentMySql : IdentityQueries.InsertSigningKeyIfAbsentSqlite;
                    await c.ExecuteAsync(Cmd(insert, new { Secret = offered, Now = DateTime.UtcNow }, cancellationToken)).ConfigureAwait(false);
                    secret = await c.ExecuteScalarAsync<string>(Cmd(IdentityQueries.SigningKey, null, cancellationToken)).ConfigureAwait(false);
                }
                _key = Convert.FromBase64String(secret!);
            }
            return _key;
        }
        finally
        {
            _load.Release();
        }
    }

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
