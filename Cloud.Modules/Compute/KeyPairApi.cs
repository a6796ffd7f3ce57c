using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Compute;

/// <summary>A user's key pairs: create (cloudd generates, returns the private key once), import, list, delete.</summary>
public sealed class KeyPairApi(KeyPairStore store, ComputeQuotas quotas, TimeProvider clock)
{
    /// <summary>Key pair names as nova accepts them.</summary>
    private static readonly System.Text.RegularExpressions.Regex NamePattern = new(@"^[A-Za-z0-9 _.@-]{1,255}$");

    public async Task<IReadOnlyList<KeyPair>> ListAsync(RequestContext context, CancellationToken cancellationToken)
    {
        Policy.RequireAuthenticated(context);
        return await store.ListAsync(context.UserId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<KeyPair> GetAsync(RequestContext context, string name, CancellationToken cancellationToken)
    {
        Policy.RequireAuthenticated(context);
        return await store.FindAsync(context.UserId, name, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.NotFound($"Keypair {name} not found for user {context.UserId}");
    }

    /// <summary>
    /// Generates an RSA 2048 pair; the private key (PEM) is returned here and never stored. The key is generated only
    /// once the quota and the name have been checked, so a caller over quota costs no key generation.
    /// </summary>
    public async Task<(KeyPair KeyPair, string PrivateKeyPem)> CreateAsync(RequestContext context, string name, CancellationToken cancellationToken)
    {
        CheckName(name);
        var privateKey = "";
        var pair = await InsertAsync(context, name, () =>
        {
            (var publicKey, privateKey) = SshKeys.GenerateRsa($"Generated-by-cloudd {name}");
            return publicKey;
        }, cancellationToken).ConfigureAwait(false);
        return (pair, privateKey);
    }

    /// <summary>Imports an OpenSSH public key line (rsa, ed25519, ecdsa, dss).</summary>
    public async Task<KeyPair> ImportAsync(RequestContext context, string name, string publicKey, CancellationToken cancellationToken)
    {
        CheckName(name);
        SshKeys.Parse(publicKey);
        return await InsertAsync(context, name, publicKey.Trim, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(RequestContext context, string name, CancellationToken cancellationToken)
    {
        Policy.RequireAuthenticated(context);
        if (!await store.DeleteAsync(context.UserId, name, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.NotFound($"Keypair {name} not found for user {context.UserId}");
        }
    }

    /// <summary>Inserts the pair; <paramref name="publicKey"/> gives the key's public line and is called only after the quota and name checks pass.</summary>
    private async Task<KeyPair> InsertAsync(RequestContext context, string name, Func<string> publicKey, CancellationToken cancellationToken)
    {
        var projectId = Policy.RequireScoped(context);
        var limits = await quotas.LimitsAsync(projectId, cancellationToken).ConfigureAwait(false);
        return await store.InsertAsync(context.UserId, name, used => ComputeQuotas.Check("key_pairs", limits, requested: 1, used), () =>
        {
            var line = publicKey();
            return new KeyPair
            {
                UserId = context.UserId!,
                ProjectId = projectId,
                Name = name,
                Fingerprint = SshKeys.Fingerprint(line),
                PublicKey = line,
                CreatedAt = clock.GetUtcNow().UtcDateTime,
            };
        }, cancellationToken).ConfigureAwait(false);
    }

    private static void CheckName(string name)
    {
        if (!NamePattern.IsMatch(name))
        {
            throw CloudException.Invalid("Keypair name must be 1 to 255 letters, digits, spaces, '_', '-', '.' or '@'.");
        }
    }
}
