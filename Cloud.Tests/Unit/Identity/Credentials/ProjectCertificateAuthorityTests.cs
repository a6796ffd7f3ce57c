using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Cloud.Modules.Identity.Credentials;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Identity.Credentials;

public sealed class ProjectCertificateAuthorityTests
{
    // RSA key generation is the slow part; two CAs serve every test that does not need its own.
    private ProjectCertificateAuthority _testing = default!;
    private ProjectCertificateAuthority _other = default!;

    [OneTimeSetUp]
    public void CreateAuthorities()
    {
        _testing = ProjectCertificateAuthority.Create("testing");
        _other = ProjectCertificateAuthority.Create("other");
    }

    [OneTimeTearDown]
    public void DisposeAuthorities()
    {
        _testing.Dispose();
        _other.Dispose();
    }

    [Test]
    public void A_user_certificate_chains_to_its_project_ca_and_not_to_another_projects()
    {
        var issued = _testing.IssueUserCertificate("berendt", "testing");
        using var user = X509Certificate2.CreateFromPem(issued.CertificatePem);

        Chains(user, _testing).Should().BeTrue();
        Chains(user, _other).Should().BeFalse();
    }

    [Test]
    public void The_ca_and_user_subjects_name_the_project_the_user_and_cloudd()
    {
        var issued = _testing.IssueUserCertificate("berendt", "testing");
        using var user = X509Certificate2.CreateFromPem(issued.CertificatePem);

        _testing.Subject.Should().Be("CN=project-ca-testing, O=cloudd");
        user.Subject.Should().Be("CN=berendt, OU=testing, O=cloudd");
        user.Issuer.Should().Be("CN=project-ca-testing, O=cloudd");
        issued.Subject.Should().Be(user.Subject);
        issued.SerialNumber.Should().Be(user.SerialNumber);
    }

    [Test]
    public void The_ca_may_sign_certificates_and_the_user_may_only_authenticate_as_a_client()
    {
        using var ca = X509Certificate2.CreateFromPem(_testing.CertificatePem);
        using var user = X509Certificate2.CreateFromPem(_testing.IssueUserCertificate("berendt", "testing").CertificatePem);

        ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority.Should().BeTrue();
        ca.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages
            .Should().Be(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign);
        ca.GetRSAPublicKey()!.KeySize.Should().BeGreaterThanOrEqualTo(2048);
        (ca.NotAfter - ca.NotBefore).Should().BeGreaterThan(TimeSpan.FromDays(9 * 365));

        user.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority.Should().BeFalse();
        user.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages
            .Cast<Oid>().Select(o => o.Value).Should().Equal("1.3.6.1.5.5.7.3.2");
        (user.NotAfter - user.NotBefore).Should().BeCloseTo(TimeSpan.FromDays(365), TimeSpan.FromMinutes(10));
    }

    [Test]
    public void The_private_key_is_a_plain_rsa_key_that_belongs_to_the_certificate()
    {
        var issued = _testing.IssueUserCertificate("berendt", "testing");

        issued.PrivateKeyPem.Should().StartWith("-----BEGIN RSA PRIVATE KEY-----\n").And.EndWith("-----END RSA PRIVATE KEY-----\n");
        using var user = X509Certificate2.CreateFromPem(issued.CertificatePem);
        using var key = RSA.Create();
        key.ImportFromPem(issued.PrivateKeyPem);
        var data = Encoding.UTF8.GetBytes("euca-bundle-image signs manifests with this key");
        var signature = key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        user.GetRSAPublicKey()!.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).Should().BeTrue();
    }

    [Test]
    public void Serial_numbers_are_random_and_positive()
    {
        var serials = Enumerable.Range(0, 3).Select(_ => _testing.IssueUserCertificate("berendt", "testing").SerialNumber).ToList();

        serials.Should().OnlyHaveUniqueItems();
        serials.Should().AllSatisfy(s => s.Length.Should().Be(32));
        serials.Should().AllSatisfy(s => Convert.FromHexString(s)[0].Should().BeLessThan(0x80));
    }

    [Test]
    public void The_ca_reloaded_from_its_pem_strings_still_issues_certificates_that_chain_to_it()
    {
        using var reloaded = ProjectCertificateAuthority.Load(_testing.CertificatePem, _testing.PrivateKeyPem);

        reloaded.CertificatePem.Should().Be(_testing.CertificatePem);
        reloaded.PrivateKeyPem.Should().StartWith("-----BEGIN RSA PRIVATE KEY-----");
        using var user = X509Certificate2.CreateFromPem(reloaded.IssueUserCertificate("berendt", "testing").CertificatePem);
        Chains(user, _testing).Should().BeTrue();
    }

    [Test]
    public void A_key_that_is_not_the_cas_own_is_refused_on_load() =>
        ((Action)(() => ProjectCertificateAuthority.Load(_testing.CertificatePem, _other.PrivateKeyPem)))
            .Should().Throw<CryptographicException>().WithMessage("*not the key of 'CN=project-ca-testing, O=cloudd'*");

    [Test]
    public void A_user_certificate_is_not_accepted_as_a_ca()
    {
        var issued = _testing.IssueUserCertificate("berendt", "testing");

        ((Action)(() => ProjectCertificateAuthority.Load(issued.CertificatePem, issued.PrivateKeyPem)))
            .Should().Throw<CryptographicException>().WithMessage("*not a CA certificate*");
    }

    [Test]
    public void Commas_and_equals_signs_in_names_stay_inside_their_attribute()
    {
        var issued = _testing.IssueUserCertificate("o'neil, CN=admin", "dev+ops=1");
        using var user = X509Certificate2.CreateFromPem(issued.CertificatePem);

        var encoded = user.SubjectName.EnumerateRelativeDistinguishedNames(reversed: false)
            .Select(rdn => (rdn.GetSingleElementType().FriendlyName, rdn.GetSingleElementValue())).ToList();
        encoded.Should().BeEquivalentTo(
            [("O", "cloudd"), ("OU", "dev+ops=1"), ("CN", "o'neil, CN=admin")],
            o => o.WithStrictOrdering());
    }

    [Test]
    public void A_user_certificate_never_outlives_its_ca()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        using var ca = ProjectCertificateAuthority.Create("short", TimeSpan.FromDays(30), clock);
        clock.Advance(TimeSpan.FromDays(20));

        ca.IssueUserCertificate("berendt", "short").NotAfter.Should().BeCloseTo(ca.NotAfter, TimeSpan.FromSeconds(1));

        clock.Advance(TimeSpan.FromDays(11));
        ((Action)(() => ca.IssueUserCertificate("berendt", "short"))).Should().Throw<InvalidOperationException>().WithMessage("*expired*");
    }

    [Test]
    public void An_issued_certificate_never_prints_its_private_key() =>
        _testing.IssueUserCertificate("berendt", "testing").ToString().Should().NotContain("PRIVATE KEY").And.Contain("berendt");

    [Test]
    public async Task Openssl_verifies_the_user_certificate_against_cacert_pem_and_checks_pk_pem()
    {
        var openssl = ExternalTool.Require("openssl", "openssl");
        using var dir = new TempDir();
        var issued = _testing.IssueUserCertificate("berendt", "testing");
        dir.File("cacert.pem", _testing.CertificatePem);
        dir.File("other.pem", _other.CertificatePem);
        dir.File("cert.pem", issued.CertificatePem);
        dir.File("pk.pem", issued.PrivateKeyPem);

        var verify = await ExternalTool.RunAsync(openssl, ["verify", "-purpose", "sslclient", "-CAfile", "cacert.pem", "cert.pem"], dir.Path);
        verify.ExitCode.Should().Be(0, verify.ToString());
        verify.Stdout.Trim().Should().Be("cert.pem: OK");

        var wrongCa = await ExternalTool.RunAsync(openssl, ["verify", "-CAfile", "other.pem", "cert.pem"], dir.Path);
        wrongCa.ExitCode.Should().NotBe(0, wrongCa.ToString());

        var check = await ExternalTool.RunAsync(openssl, ["rsa", "-in", "pk.pem", "-check", "-noout"], dir.Path);
        check.ExitCode.Should().Be(0, check.ToString());
        check.Stdout.Trim().Should().Be("RSA key ok");

        var keyModulus = await ExternalTool.RunAsync(openssl, ["rsa", "-in", "pk.pem", "-modulus", "-noout"], dir.Path);
        var certModulus = await ExternalTool.RunAsync(openssl, ["x509", "-in", "cert.pem", "-modulus", "-noout"], dir.Path);
        keyModulus.Stdout.Should().StartWith("Modulus=").And.Be(certModulus.Stdout);

        var serial = await ExternalTool.RunAsync(openssl, ["x509", "-in", "cert.pem", "-serial", "-noout"], dir.Path);
        serial.Stdout.Trim().Should().Be($"serial={issued.SerialNumber}");
    }

    private static bool Chains(X509Certificate2 user, ProjectCertificateAuthority ca)
    {
        using var root = X509Certificate2.CreateFromPem(ca.CertificatePem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(user);
    }
}
