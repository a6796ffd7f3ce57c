using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Compute;

/// <summary>
/// OpenSSH public keys: generating RSA pairs, checking imported keys and the MD5 colon-hex fingerprint that
/// EC2 and nova show (<c>a6:2a:…</c>, the MD5 of the key blob).
/// </summary>
public static class SshKeys
{
    /// <summary>Key types an imported public key may have.</summary>
    public static readonly IReadOnlySet<string> ImportableTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "ssh-rsa", "ssh-ed25519", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
    };

    /// <summary>A new RSA pair: the OpenSSH public line and the private key as PKCS#1 PEM (what ssh -i reads).</summary>
    public static (string PublicKey, string PrivateKeyPem) GenerateRsa(string comment, int bits = 2048)
    {
        using var rsa = RSA.Create(bits);
        var p = rsa.ExportParameters(includePrivateParameters: false);
        var blob = new List<byte>();
        WriteString(blob, Encoding.ASCII.GetBytes("ssh-rsa"));
        WriteString(blob, MpInt(p.Exponent!));
        WriteString(blob, MpInt(p.Modulus!));
        return ($"ssh-rsa {Convert.ToBase64String([.. blob])} {comment}", PemEncoding.WriteString("RSA PRIVATE KEY", rsa.ExportRSAPrivateKey()) + "\n");
    }

    /// <summary>The fingerprint of an OpenSSH public key line; throws Invalid for anything that is not one.</summary>
    public static string Fingerprint(string publicKey) => FingerprintOf(Parse(publicKey).Blob);

    /// <summary>Checks an OpenSSH public key line: a known type and a blob whose first field repeats that type.</summary>
    public static (string Type, byte[] Blob) Parse(string publicKey)
    {
        var fields = publicKey.Trim().Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2 || !ImportableTypes.Contains(fields[0]))
        {
            throw Invalid();
        }
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(fields[1]);
        }
        catch (FormatException)
        {
            throw Invalid();
        }
        if (blob.Length < 4)
        {
            throw Invalid();
        }
        var length = BinaryPrimitives.ReadUInt32BigEndian(blob);
        if (length > blob.Length - 4 || Encoding.ASCII.GetString(blob, 4, (int)length) != fields[0])
        {
            throw Invalid();
        }
        return (fields[0], blob);
    }

    private static string FingerprintOf(byte[] blob) =>
        string.Join(':', MD5.HashData(blob).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private static CloudException Invalid() => CloudException.Invalid("Keypair data is invalid: failed to generate fingerprint");

    private static void WriteString(List<byte> blob, byte[] value)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)value.Length);
        blob.AddRange(length.ToArray());
        blob.AddRange(value);
    }

    // An SSH mpint is big-endian two's complement: a set top bit needs a leading zero to stay positive.
    private static byte[] MpInt(byte[] unsigned) => unsigned[0] >= 0x80 ? [0, .. unsigned] : unsigned;
}
