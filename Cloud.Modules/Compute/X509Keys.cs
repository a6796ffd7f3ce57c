using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Compute;

/// <summary>
/// Key pairs of type <c>x509</c> (nova 2.2, for WinRM): a self-signed client certificate is the public half, its
/// fingerprint the SHA-1 of the certificate as colon hex (nova.crypto.generate_x509_fingerprint).
/// </summary>
public static class X509Keys
{
    /// <summary>
    /// nova's generate_winrm_x509_cert: an RSA 2048 certificate for <c>CN=&lt;user&gt;</c>, UPN <c>&lt;user&gt;@localhost</c>,
    /// client authentication, ten years; the private half is a PKCS#12 without password, base64-encoded.
    /// </summary>
    public static (string CertificatePem, string PrivateKeyPkcs12) Generate(string userId)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={userId}"), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddUserPrincipalName($"{userId}@localhost");
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now, now.AddDays(3650));
        var pem = PemEncoding.WriteString("CERTIFICATE", certificate.RawData) + "\n";
        return (pem, Convert.ToBase64String(certificate.Export(X509ContentType.Pkcs12, "")));
    }

    /// <summary>The SHA-1 colon-hex fingerprint of a PEM certificate; nova's 400 for anything that is not one.</summary>
    public static string Fingerprint(string certificatePem)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(certificatePem);
            return string.Join(":", certificate.GetCertHash(HashAlgorithmName.SHA1).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw CloudException.Invalid($"Keypair data is invalid: failed to generate X509 fingerprint. Error message: {e.Message}");
        }
    }
}
