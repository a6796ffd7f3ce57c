using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Compute;

/// <summary>x509 key pairs (nova 2.2): the generated certificate, its private half and nova's SHA-1 fingerprint.</summary>
public sealed class X509KeysTests
{
    [Test]
    public void A_generated_certificate_names_the_user_and_its_pkcs12_holds_the_private_key()
    {
        var (pem, pkcs12) = X509Keys.Generate("u1");
        using var certificate = X509Certificate2.CreateFromPem(pem);
        certificate.Subject.Should().Be("CN=u1");
        using var withKey = X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(pkcs12), "");
        withKey.HasPrivateKey.Should().BeTrue();
        withKey.Thumbprint.Should().Be(certificate.Thumbprint);
    }

    [Test]
    public void The_fingerprint_is_the_certificates_sha1_as_colon_hex()
    {
        var (pem, _) = X509Keys.Generate("u1");
        using var certificate = X509Certificate2.CreateFromPem(pem);
        X509Keys.Fingerprint(pem).Should().Be(string.Join(":", Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA1)).Chunk(2).Select(c => new string(c))));
    }

    [TestCase("ssh-rsa AAAA not a certificate")]
    [TestCase("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]
    public void Anything_but_a_pem_certificate_is_novas_invalid_keypair(string text)
    {
        FluentActions.Invoking(() => X509Keys.Fingerprint(text)).Should().Throw<CloudException>()
            .Where(e => e.Kind == CloudErrorKind.Invalid && e.Message.StartsWith("Keypair data is invalid: failed to generate X509 fingerprint.", StringComparison.Ordinal));
    }
}
