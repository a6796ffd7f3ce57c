using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>The swift proxy over HTTPS (<c>--swift_cert_file</c>/<c>--swift_key_file</c>), driven by the real swift CLI.</summary>
[Category("Integration")]
public sealed class SwiftProxyTlsTests
{
    [Test]
    public async Task The_swift_cli_authenticates_uploads_and_downloads_over_https()
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        using var keys = new TempDir();
        var (cert, key) = WriteSelfSigned(keys.Path);
        await using var cluster = await SwiftCluster.StartAsync([$"--swift_cert_file={cert}", $"--swift_key_file={key}"]);
        cluster.ProxyUrl.Should().StartWith("https://");
        await File.WriteAllTextAsync(Path.Combine(cluster.Work, "note.txt"), "over tls");

        async Task<ToolRun> Swift(params string[] args)
        {
            var run = await ExternalTool.RunAsync("/usr/bin/swift", ["--insecure", "-A", cluster.AuthUrl, "-U", "system:root", "-K", "testpass", .. args], cluster.Work, timeout: TimeSpan.FromSeconds(60));
            run.ExitCode.Should().Be(0, $"swift {string.Join(' ', args)}: {run}\n{cluster.Output}");
            return run;
        }

        (await Swift("stat")).Stdout.Should().Contain("Account: AUTH_system");
        await Swift("upload", "secure", "note.txt");
        await Swift("download", "secure", "note.txt", "-o", "back.txt");
        (await File.ReadAllTextAsync(Path.Combine(cluster.Work, "back.txt"))).Should().Be("over tls");
    }

    [Test]
    public async Task A_certificate_without_its_key_or_an_unreadable_one_stops_the_proxy_with_a_message()
    {
        using var dir = new TempDir();
        var (cert, _) = WriteSelfSigned(dir.Path);
        var garbage = Path.Combine(dir.Path, "garbage.pem");
        await File.WriteAllTextAsync(garbage, "not a key");
        var common = new[] { $"--state_path={dir.Path}", $"--swift_dir={dir.Path}", $"--swift_proxy_bind=127.0.0.1:{FreePort.Next()}", "--swift_tempauth_users=system:root:testpass:.admin" };
        (await CloudProcess.RunAsync(["manage", "db", "sync", .. common])).ExitCode.Should().Be(0);

        var alone = await CloudProcess.RunAsync(["--roles=swift-proxy", $"--swift_cert_file={cert}", .. common]);
        var unreadable = await CloudProcess.RunAsync(["--roles=swift-proxy", $"--swift_cert_file={cert}", $"--swift_key_file={garbage}", .. common]);

        alone.ExitCode.Should().NotBe(0);
        alone.Stderr.Should().Contain("swift_cert_file/swift_key_file: set both");
        unreadable.ExitCode.Should().NotBe(0);
        unreadable.Stderr.Should().Contain($"cannot use {cert} with {garbage}");
    }

    private static (string Cert, string Key) WriteSelfSigned(string dir)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var (cert, key) = (Path.Combine(dir, "proxy.crt"), Path.Combine(dir, "proxy.key"));
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(key, rsa.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }
}
