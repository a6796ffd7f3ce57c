using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Compute;

/// <summary>Generated and imported key pairs, checked against the real ssh-keygen.</summary>
public sealed class SshKeysTests
{
    private static string SshKeygen => ExternalTool.Require("ssh-keygen", "openssh-client");

    [Test]
    public async Task A_generated_rsa_pair_is_what_ssh_keygen_reads_with_the_same_md5_fingerprint()
    {
        var (publicKey, privatePem) = SshKeys.GenerateRsa("Generated-by-cloudd test");
        using var dir = new TempDir();
        var privateFile = Path.Combine(dir.Path, "key.priv");
        await File.WriteAllTextAsync(privateFile, privatePem);
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(privateFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        await File.WriteAllTextAsync(privateFile + ".pub", publicKey + "\n");

        privatePem.Should().StartWith("-----BEGIN RSA PRIVATE KEY-----");
        (await RunAsync("-y", "-f", privateFile)).Trim().Split(' ')[1].Should().Be(publicKey.Split(' ')[1]);
        var listed = await RunAsync("-l", "-E", "md5", "-f", privateFile + ".pub");
        listed.Should().StartWith("2048 MD5:" + SshKeys.Fingerprint(publicKey) + " ");
        SshKeys.Fingerprint(publicKey).Should().MatchRegex("^([0-9a-f]{2}:){15}[0-9a-f]{2}$");
    }

    [Test]
    public async Task An_imported_ed25519_key_gets_ssh_keygens_md5_fingerprint()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "id_ed25519");
        await RunAsync("-q", "-t", "ed25519", "-N", "", "-C", "alice@laptop", "-f", file);
        var publicKey = await File.ReadAllTextAsync(file + ".pub");

        var listed = await RunAsync("-l", "-E", "md5", "-f", file + ".pub");

        listed.Should().Contain("MD5:" + SshKeys.Fingerprint(publicKey) + " ");
        SshKeys.Parse(publicKey).Type.Should().Be("ssh-ed25519");
    }

    [TestCase("")]
    [TestCase("ssh-rsa")]
    [TestCase("ssh-rsa not-base64!")]
    [TestCase("ssh-foo AAAAB3NzaC1yc2EAAAADAQABAAAAgQC")]
    [TestCase("ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAAAgQC")]
    public void Anything_but_an_openssh_public_key_is_invalid(string text) =>
        FluentActions.Invoking(() => SshKeys.Fingerprint(text))
            .Should().Throw<CloudException>().Where(e => e.Kind == CloudErrorKind.Invalid);

    private static async Task<string> RunAsync(params string[] args)
    {
        var run = await ExternalTool.RunAsync(SshKeygen, args, Path.GetTempPath());
        run.ExitCode.Should().Be(0, run.Stderr);
        return run.Stdout;
    }
}
