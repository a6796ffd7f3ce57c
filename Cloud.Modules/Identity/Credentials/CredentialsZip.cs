using System.IO.Compression;
using System.Text;

namespace Cloud.Modules.Identity.Credentials;

/// <summary>
/// The zip <c>nova-manage project zipfile</c> made: <c>novarc</c>, <c>pk.pem</c>, <c>cert.pem</c>, <c>cacert.pem</c>,
/// in that order. Entries carry Unix modes, which Info-ZIP <c>unzip</c> restores: the secrets (<c>novarc</c>,
/// <c>pk.pem</c>) 0600, the certificates 0644.
/// </summary>
/// <remarks>
/// The modes are honoured when the zip is written on Unix, where .NET marks entries as made by Unix;
/// a zip written on Windows extracts with the extractor's defaults.
/// </remarks>
public static class CredentialsZip
{
    /// <summary>The rc file's entry name.</summary>
    public const string NovaRcEntry = "novarc";

    /// <summary>The user's private key's entry name.</summary>
    public const string PrivateKeyEntry = "pk.pem";

    /// <summary>The user's certificate's entry name.</summary>
    public const string CertificateEntry = "cert.pem";

    /// <summary>The project CA certificate's entry name.</summary>
    public const string CaCertificateEntry = "cacert.pem";

    private const UnixFileMode Secret = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Public = Secret | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    // st_mode's file-type bits for a regular file (S_IFREG); unzip wants them beside the permission bits.
    private const uint RegularFile = 0x8000;

    /// <summary>Writes the zip to <paramref name="destination"/>, which stays open.</summary>
    public static void Write(Stream destination, CredentialFiles files)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(files);
        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        Add(zip, NovaRcEntry, files.NovaRc, Secret);
        Add(zip, PrivateKeyEntry, files.PrivateKeyPem, Secret);
        Add(zip, CertificateEntry, files.CertificatePem, Public);
        Add(zip, CaCertificateEntry, files.CaCertificatePem, Public);
    }

    /// <summary>The zip as bytes, e.g. for an HTTP response.</summary>
    public static byte[] ToBytes(CredentialFiles files)
    {
        using var buffer = new MemoryStream();
        Write(buffer, files);
        return buffer.ToArray();
    }

    /// <summary>
    /// Writes the zip to the file <paramref name="path"/> (mode 0600: it holds a private key) all at once:
    /// it goes to a temporary file in the same directory first, then is renamed, so no reader ever sees half a zip.
    /// </summary>
    /// <param name="path">The zip file to write, e.g. <c>/root/creds/novacreds.zip</c>.</param>
    /// <param name="files">What goes in.</param>
    /// <param name="overwrite">Replace an existing file. Default: false, and an existing file is an error.</param>
    /// <exception cref="IOException"><paramref name="path"/> exists and <paramref name="overwrite"/> is false, or is a directory.</exception>
    public static void Save(string path, CredentialFiles files, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(files);
        var target = Path.GetFullPath(path);
        if (Directory.Exists(target))
        {
            throw new IOException($"'{target}' is a directory; name the zip file to write.");
        }
        if (!overwrite && File.Exists(target))
        {
            throw new IOException($"'{target}' already exists; remove it or ask to overwrite it.");
        }

        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = Secret;
        }
        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                Write(stream, files);
                stream.Flush(flushToDisk: true);
            }
            // Without overwrite, .NET links then unlinks on Unix, so a file that appeared meanwhile still is not replaced.
            File.Move(temporary, target, overwrite);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static void Add(ZipArchive zip, string name, string text, UnixFileMode mode)
    {
        ArgumentNullException.ThrowIfNull(text, name);
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.ExternalAttributes = unchecked((int)((RegularFile | (uint)mode) << 16));
        using var stream = entry.Open();
        stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));
    }
}
