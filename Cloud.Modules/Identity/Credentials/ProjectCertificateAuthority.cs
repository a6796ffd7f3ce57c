using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cloud.Modules.Identity.Credentials;

/// <summary>
/// A project's own certificate authority, as nova kept one per project: it signs the user certificates
/// that go into the credentials zip (<c>cert.pem</c>), and its certificate is the zip's <c>cacert.pem</c>.
/// Made once with <see cref="Create"/>; store <see cref="CertificatePem"/> and <see cref="PrivateKeyPem"/>
/// with the project and rebuild it with <see cref="Load"/>. Dispose it to free the key.
/// </summary>
/// <remarks>
/// The CA is RSA 3072 (its ten years run past 2030, when NIST retires 2048-bit keys), self-signed,
/// <c>CN=project-ca-&lt;project&gt;, O=cloudd</c>, basic constraints CA with path length 0 (it signs users only),
/// key usage keyCertSign|cRLSign. User certificates are RSA 2048, valid one year (never past the CA),
/// client authentication only.
/// </remarks>
public sealed class ProjectCertificateAuthority : IDisposable
{
    /// <summary>The organization (O=) in every subject this CA writes.</summary>
    public const string Organization = "cloudd";

    /// <summary>Default lifetime of a project CA: ten years.</summary>
    public static readonly TimeSpan DefaultCaValidity = TimeSpan.FromDays(3652);

    /// <summary>Default lifetime of a user certificate: one year.</summary>
    public static readonly TimeSpan DefaultUserValidity = TimeSpan.FromDays(365);

    private const int CaKeySize = 3072;
    private const int UserKeySize = 2048;
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    // Clocks of the hosts that check a certificate may run a little behind ours.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly X509Certificate2 _certificate;
    private readonly RSA _key;
    private readonly TimeProvider _clock;

    private ProjectCertificateAuthority(X509Certificate2 certificate, RSA key, TimeProvider clock)
    {
        _certificate = certificate;
        _key = key;
        _clock = clock;
        CertificatePem = certificate.ExportCertificatePem() + "\n";
    }

    /// <summary>The CA certificate, PEM (<c>-----BEGIN CERTIFICATE-----</c>): the zip's <c>cacert.pem</c>. Store it.</summary>
    public string CertificatePem { get; }

    /// <summary>
    /// The CA key as unencrypted PKCS#1 PEM (<c>-----BEGIN RSA PRIVATE KEY-----</c>). Store it where only
    /// the identity service reads it: whoever has it can mint certificates for the project.
    /// </summary>
    public string PrivateKeyPem => _key.ExportRSAPrivateKeyPem() + "\n";

    /// <summary>The CA's subject, e.g. <c>CN=project-ca-testing, O=cloudd</c>.</summary>
    public string Subject => _certificate.Subject;

    /// <summary>The end of the CA's validity; no user certificate outlives it.</summary>
    public DateTimeOffset NotAfter => new(_certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);

    /// <summary>Makes a new CA for <paramref name="project"/> (a project name or id; it only appears in the subject).</summary>
    /// <param name="project">Goes into <c>CN=project-ca-&lt;project&gt;</c>.</param>
    /// <param name="validity">Default: <see cref="DefaultCaValidity"/>.</param>
    /// <param name="clock">Default: the system clock.</param>
    public static ProjectCertificateAuthority Create(string project, TimeSpan? validity = null, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(project);
        clock ??= TimeProvider.System;
        var now = clock.GetUtcNow();
        var key = RSA.Create(CaKeySize);
        try
        {
            // The builder encodes the last-added name first: this gives the usual O, then CN encoding.
            var subject = new X500DistinguishedNameBuilder();
            subject.AddCommonName($"project-ca-{project}");
            subject.AddOrganizationName(Organization);
            var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(
                X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
            var keyId = new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false);
            request.CertificateExtensions.Add(keyId);
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(keyId));

            var generator = X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1);
            var certificate = request.Create(
                request.SubjectName, generator, now - ClockSkew, now + (validity ?? DefaultCaValidity), NewSerialNumber());
            return new ProjectCertificateAuthority(certificate, key, clock);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Rebuilds a CA from the PEM strings stored with its project.</summary>
    /// <param name="certificatePem">What <see cref="CertificatePem"/> gave.</param>
    /// <param name="privateKeyPem">What <see cref="PrivateKeyPem"/> gave (PKCS#8 <c>PRIVATE KEY</c> is accepted too).</param>
    /// <param name="clock">Default: the system clock.</param>
    /// <exception cref="CryptographicException">The PEM does not parse, the certificate is not a CA, or the key is not its key.</exception>
    public static ProjectCertificateAuthority Load(string certificatePem, string privateKeyPem, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(certificatePem);
        ArgumentNullException.ThrowIfNull(privateKeyPem);
        var certificate = X509Certificate2.CreateFromPem(certificatePem);
        var key = RSA.Create();
        try
        {
            key.ImportFromPem(privateKeyPem);
            var isCa = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(e => e.CertificateAuthority);
            if (!isCa)
            {
                throw new CryptographicException($"'{certificate.Subject}' is not a CA certificate.");
            }
            using var publicKey = certificate.GetRSAPublicKey()
                ?? throw new CryptographicException($"'{certificate.Subject}' does not hold an RSA key.");
            if (!publicKey.ExportParameters(false).Modulus.AsSpan().SequenceEqual(key.ExportParameters(false).Modulus))
            {
                throw new CryptographicException($"The private key is not the key of '{certificate.Subject}'.");
            }
            return new ProjectCertificateAuthority(certificate, key, clock ?? TimeProvider.System);
        }
        catch
        {
            key.Dispose();
            certificate.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Issues a certificate and a fresh key for <paramref name="user"/>: subject
    /// <c>CN=&lt;user&gt;, OU=&lt;project&gt;, O=cloudd</c>, a random 128-bit serial, client authentication only.
    /// </summary>
    /// <param name="user">The user's name (CN).</param>
    /// <param name="project">The project's name (OU); normally the project this CA belongs to.</param>
    /// <param name="validity">Default: <see cref="DefaultUserValidity"/>; cut short at the CA's own end.</param>
    /// <exception cref="InvalidOperationException">The CA has expired.</exception>
    public IssuedCertificate IssueUserCertificate(string user, string project, TimeSpan? validity = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentException.ThrowIfNullOrWhiteSpace(project);
        var now = _clock.GetUtcNow();
        if (now >= NotAfter)
        {
            throw new InvalidOperationException($"The CA '{Subject}' expired on {NotAfter:u}; make the project a new one.");
        }
        var notAfter = now + (validity ?? DefaultUserValidity);
        if (notAfter > NotAfter)
        {
            notAfter = NotAfter;
        }
        var notBefore = now - ClockSkew;
        var caNotBefore = new DateTimeOffset(_certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        if (notBefore < caNotBefore)
        {
            notBefore = caNotBefore;
        }

        using var key = RSA.Create(UserKeySize);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(user);
        subject.AddOrganizationalUnitName(project);
        subject.AddOrganizationName(Organization);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuthOid)], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            _certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        var serial = NewSerialNumber();
        var generator = X509SignatureGenerator.CreateForRSA(_key, RSASignaturePadding.Pkcs1);
        using var certificate = request.Create(_certificate.SubjectName, generator, notBefore, notAfter, serial);
        return new IssuedCertificate(
            certificate.ExportCertificatePem() + "\n",
            key.ExportRSAPrivateKeyPem() + "\n",
            certificate.SerialNumber,
            certificate.Subject,
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
    }

    public void Dispose()
    {
        _key.Dispose();
        _certificate.Dispose();
    }

    // RFC 5280 allows 20 octets; 16 random ones, kept positive and non-zero, cannot collide in practice.
    private static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }
}
