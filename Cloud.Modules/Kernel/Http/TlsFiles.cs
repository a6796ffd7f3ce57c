using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cloud.Modules.Kernel.Flags;

namespace Cloud.Modules.Kernel.Http;

/// <summary>A PEM certificate (chain) and its PEM private key, as the flags name them.</summary>
/// <param name="CertFile">Certificate file, e.g. the value of <c>--swift_cert_file</c>.</param>
/// <param name="KeyFile">Private key file, e.g. the value of <c>--swift_key_file</c>.</param>
/// <param name="Flags">The flag names, for errors: <c>swift_cert_file/swift_key_file</c>.</param>
public sealed record TlsFiles(string CertFile, string KeyFile, string Flags)
{
    /// <summary>Both files set: TLS; neither: null; one alone is an error.</summary>
    /// <exception cref="FlagException">Only one of the two is set.</exception>
    public static TlsFiles? From(string certFile, string keyFile, string flags)
    {
        var (cert, key) = (certFile.Trim(), keyFile.Trim());
        if (cert.Length == 0 && key.Length == 0)
        {
            return null;
        }
        return cert.Length > 0 && key.Length > 0
            ? new TlsFiles(cert, key, flags)
            : throw FlagError.Of($"{flags}: set both the certificate and the key file, or neither");
    }

    /// <summary>Reads the pair.</summary>
    /// <exception cref="FlagException">A file is missing or not a matching PEM certificate and key.</exception>
    public X509Certificate2 Load()
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(CertFile, KeyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw FlagError.Of($"{Flags}: cannot use {CertFile} with {KeyFile}: {e.Message}");
        }
    }
}
