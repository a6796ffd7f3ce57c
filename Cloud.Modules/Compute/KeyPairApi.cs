using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Compute;

/// <summary>A user's key pairs: create (cloudd generates, returns the private key once), import, list, delete.</summary>
public sealed class KeyPairApi(KeyPairStore store, ComputeQuotas quotas, TimeProvider clock)
{
    /// <summary>Key pair names as nova accepts them.</summary>
    /// <summary>nova's key types (2.2): OpenSSH keys, and X.509 certificates for WinRM.</summary>
    public const string SshType = "ssh";

    public const string X509Type = "x509";

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
    public Task<(KeyPair KeyPair, string PrivateKeyPem)> CreateAsync(RequestContext context, string name, CancellationToken cancellationToken) =>
        CreateAsync(context, name, SshType, cancellationToken);

    /// <summary>
    /// Generates a pair of <paramref name="type"/> (nova 2.2): <c>ssh</c> an RSA pair, <c>x509</c> a self-signed
    /// certificate whose private half (a base64 PKCS#12) is returned here and never stored.
    /// </summary>
    public async Task<(KeyPair KeyPair, string PrivateKeyPem)> CreateAsync(RequestContext context, string name, string type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        CheckName(name);
        CheckType(type);
        var privateKey = "";
        var pair = await InsertAsync(context, name, type, () =>
        {
            string publicKey;
            (publicKey, privateKey) = type == X509Type ? X509Keys.Generate(context.UserId ?? "") : SshKeys.GenerateRsa($"Generated-by-cloudd {name}");
            return publicKey;
        }, cancellationToken).ConfigureAwait(false);
        return (pair, privateKey);
    }

    /// <summary>Imports an OpenSSH public key line (rsa, ed25519, ecdsa, dss).</summary>
    public Task<KeyPair> ImportAsync(RequestContext context, string name, string publicKey, CancellationToken cancellationToken) =>
        ImportAsync(context, name, publicKey, SshType, cancellationToken);

    /// <summary>Imports a public key of <paramref name="type"/>: an OpenSSH line for <c>ssh</c>, a PEM certificate for <c>x509</c>.</summary>
    public async Task<KeyPair> ImportAsync(RequestContext context, string name, string publicKey, string type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        CheckName(name);
        CheckType(type);
        FingerprintOf(type, publicKey);
        return await InsertAsync(context, name, type, publicKey.Trim, cancellationToken).ConfigureAwait(false);
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
    private async Task<KeyPair> InsertAsync(RequestContext context, string name, string type, Func<string> publicKey, CancellationToken cancellationToken)
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
                Fingerprint = FingerprintOf(type, line),
                PublicKey = line,
                Type = type,
                CreatedAt = clock.GetUtcNow().UtcDateTime,
            };
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The fingerprint nova shows for a key of <paramref name="type"/>; Invalid for a key that is not one.</summary>
    private static string FingerprintOf(string type, string publicKey) =>
        type == X509Type ? X509Keys.Fingerprint(publicKey) : SshKeys.Fingerprint(publicKey);

    private static void CheckType(string type)
    {
        if (type is not (SshType or X509Type))
        {
            throw CloudException.Invalid($"Invalid input for field/attribute type. Value: {type}. '{type}' is not one of ['ssh', 'x509']");
        }
    }

    private static void CheckName(string name)
    {
        if (!NamePattern.IsMatch(name))
        {
            throw CloudException.Invalid("Keypair name must be 1 to 255 letters, digits, spaces, '_', '-', '.' or '@'.");
        }
    }
}
