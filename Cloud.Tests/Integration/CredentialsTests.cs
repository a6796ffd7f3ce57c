using Cloud.Modules.Identity.Credentials;
using Cloud.Tests.Support;
using Cloud.Tests.Unit.Identity.Credentials;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>The seed's section 4.5.4 with the real tools: zipfile, unzip, source novarc, and the keys work.</summary>
[Category("Integration")]
public sealed class CredentialsTests
{
    [Test]
    public async Task Unzipped_and_sourced_from_elsewhere_the_credentials_point_at_a_key_and_certificate_openssl_accepts()
    {
        var unzip = ExternalTool.Require("unzip", "unzip");
        var bash = ExternalTool.Require("bash", "bash");
        ExternalTool.Require("openssl", "openssl");
        using var dir = new TempDir();

        // The CA is made once, stored as two strings with the project, and loaded again for each zipfile.
        string caCertificate, caKey;
        using (var created = ProjectCertificateAuthority.Create("testing"))
        {
            (caCertificate, caKey) = (created.CertificatePem, created.PrivateKeyPem);
        }
        using var ca = ProjectCertificateAuthority.Load(caCertificate, caKey);
        var user = ca.IssueUserCertificate("berendt", "testing");
        var novarc = NovaRc.Render(NovaRcTests.Seed with { NovaUrl = null });
        var zip = Path.Combine(dir.Path, "novacreds.zip");
        CredentialsZip.Save(zip, CredentialFiles.For(novarc, user, ca));

        var extract = await ExternalTool.RunAsync(unzip, [zip, "-d", Path.Combine(dir.Path, "creds")], dir.Path);
        extract.ExitCode.Should().Be(0, extract.ToString());

        const string Check = """
            source "$1" &&
            openssl verify -purpose sslclient -CAfile "$NOVA_CERT" "$EC2_CERT" &&
            openssl rsa -in "$EC2_PRIVATE_KEY" -check -noout &&
            openssl x509 -in "$EC2_CERT" -noout -subject -nameopt RFC2253
            """;
        var run = await ExternalTool.RunAsync(bash, ["-c", Check, "bash", Path.Combine(dir.Path, "creds", "novarc")], "/");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Be($"{Path.Combine(dir.Path, "creds", "cert.pem")}: OK\nRSA key ok\nsubject=CN=berendt,OU=testing,O=cloudd\n");
    }
}
