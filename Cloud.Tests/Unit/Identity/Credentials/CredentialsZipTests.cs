using System.IO.Compression;
using System.Runtime.Versioning;
using Cloud.Modules.Identity.Credentials;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Identity.Credentials;

// File modes are what is tested here, and Windows has none.
[UnsupportedOSPlatform("windows")]
public sealed class CredentialsZipTests
{
    private static readonly CredentialFiles Files = new("export EC2_SECRET_KEY='s'\n", "pk\n", "cert\n", "cacert\n");

    [Test]
    public void The_zip_holds_the_seeds_four_files_in_the_seeds_order()
    {
        using var zip = new ZipArchive(new MemoryStream(CredentialsZip.ToBytes(Files)), ZipArchiveMode.Read);

        zip.Entries.Select(e => e.FullName).Should().Equal("novarc", "pk.pem", "cert.pem", "cacert.pem");
        zip.Entries.Select(Read).Should().Equal(Files.NovaRc, Files.PrivateKeyPem, Files.CertificatePem, Files.CaCertificatePem);
    }

    [Test]
    public async Task Unzip_extracts_the_key_and_novarc_for_the_owner_only_and_the_certificates_for_all()
    {
        var unzip = ExternalTool.Require("unzip", "unzip");
        using var dir = new TempDir();
        File.WriteAllBytes(Path.Combine(dir.Path, "novacreds.zip"), CredentialsZip.ToBytes(Files));

        var run = await ExternalTool.RunAsync(unzip, ["novacreds.zip", "-d", "creds"], dir.Path);

        run.ExitCode.Should().Be(0, run.ToString());
        var creds = Path.Combine(dir.Path, "creds");
        Directory.GetFiles(creds).Select(Path.GetFileName).Should().BeEquivalentTo("novarc", "pk.pem", "cert.pem", "cacert.pem");
        Mode("pk.pem").Should().Be(Convert.ToInt32("600", 8));
        Mode("novarc").Should().Be(Convert.ToInt32("600", 8));
        Mode("cert.pem").Should().Be(Convert.ToInt32("644", 8));
        Mode("cacert.pem").Should().Be(Convert.ToInt32("644", 8));
        File.ReadAllText(Path.Combine(creds, "pk.pem")).Should().Be(Files.PrivateKeyPem);

        int Mode(string name) => (int)File.GetUnixFileMode(Path.Combine(creds, name));
    }

    [Test]
    public void Save_writes_the_whole_zip_readable_by_the_owner_only_and_leaves_no_temporary_file()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "novacreds.zip");

        CredentialsZip.Save(path, Files);

        using (var zip = ZipFile.OpenRead(path))
        {
            zip.Entries.Should().HaveCount(4);
        }
        File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.GetFiles(dir.Path).Select(Path.GetFileName).Should().Equal("novacreds.zip");
    }

    [Test]
    public void Save_leaves_an_existing_file_alone_unless_told_to_overwrite_it()
    {
        using var dir = new TempDir();
        var path = dir.File("novacreds.zip", "precious");

        ((Action)(() => CredentialsZip.Save(path, Files))).Should().Throw<IOException>().WithMessage("*already exists*");
        File.ReadAllText(path).Should().Be("precious");
        Directory.GetFiles(dir.Path).Should().ContainSingle();

        CredentialsZip.Save(path, Files, overwrite: true);
        using var zip = ZipFile.OpenRead(path);
        zip.Entries.Should().HaveCount(4);
    }

    [Test]
    public void Save_to_a_directory_says_to_name_the_file()
    {
        using var dir = new TempDir();

        ((Action)(() => CredentialsZip.Save(dir.Path, Files))).Should().Throw<IOException>().WithMessage("*is a directory*");
    }

    private static string Read(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }
}
