using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Storage.DiskFile;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Swift.Storage.Auditor;

/// <summary>
/// swift-object-auditor: reads every object on the local devices and checks its metadata (name, timestamp, length,
/// ETag, and that the name hashes to the directory it is in) and the MD5 of its content. A bad object's directory
/// moves to <c>&lt;device&gt;/quarantined/objects/&lt;hash&gt;</c> and its suffix hash is invalidated, so the next
/// replication pass finds the partition out of sync and a peer pushes a good copy back.
/// </summary>
public sealed partial class ObjectAuditor(SwiftStorageFlags storage, SwiftConsistencyFlags flags, SwiftHash hash, ILogger<ObjectAuditor> log) : ISwiftDaemon
{
    public string Name => "object-auditor";

    public TimeSpan Interval => TimeSpan.FromSeconds(flags.ObjectAuditorInterval);

    public async Task<string> RunOnceAsync(CancellationToken cancellationToken)
    {
        var (audited, quarantined) = (0, 0);
        // Every policy's objects: objects, objects-1... (swift's layout), whichever policies the flags name today.
        foreach (var (device, objects) in StorageDevices.All(storage).SelectMany(ObjectDirectories))
        {
            foreach (var hashDirectory in Directory.EnumerateDirectories(objects).SelectMany(Directory.EnumerateDirectories).SelectMany(Directory.EnumerateDirectories))
            {
                cancellationToken.ThrowIfCancellationRequested();
                audited++;
                if (await ProblemAsync(hashDirectory, cancellationToken).ConfigureAwait(false) is { } problem)
                {
                    Quarantine(device, Path.GetFileName(objects), hashDirectory, problem);
                    quarantined++;
                }
            }
        }
        return string.Create(CultureInfo.InvariantCulture, $"{audited} objects audited, {quarantined} quarantined");
    }

    private static IEnumerable<(string Device, string Objects)> ObjectDirectories(string device) =>
        Directory.Exists(device)
            ? Directory.EnumerateDirectories(device, "objects*").Where(IsObjectDirectory).Order(StringComparer.Ordinal).Select(d => (device, d))
            : [];

    private static bool IsObjectDirectory(string path)
    {
        var name = Path.GetFileName(path);
        return name == "objects" || (name.StartsWith("objects-", StringComparison.Ordinal) && name.Length > 8 && name[8..].All(char.IsAsciiDigit));
    }

    /// <summary>What is wrong with the object in <paramref name="hashDirectory"/>; null when it is sound (or was replaced meanwhile).</summary>
    internal async Task<string?> ProblemAsync(string hashDirectory, CancellationToken cancellationToken)
    {
        string[] files;
        try
        {
            files = Directory.GetFiles(hashDirectory);
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            foreach (var file in files.Where(f => !f.EndsWith(FsDiskFile.DataExtension, StringComparison.Ordinal)))
            {
                DiskFileMetadata.Read(file);
            }
            foreach (var data in files.Where(f => f.EndsWith(FsDiskFile.DataExtension, StringComparison.Ordinal)))
            {
                if (await DataProblemAsync(data, Path.GetFileName(hashDirectory), cancellationToken).ConfigureAwait(false) is { } problem)
                {
                    return problem;
                }
            }
            return null;
        }
        catch (JsonException e)
        {
            return "unreadable metadata: " + e.Message;
        }
        catch (FileNotFoundException)
        {
            // Superseded by a write while we read; the new file is audited next pass.
            return null;
        }
    }

    private async Task<string?> DataProblemAsync(string data, string directoryHash, CancellationToken cancellationToken)
    {
        var metadata = DiskFileMetadata.Read(data);
        var name = metadata.GetValueOrDefault("name", "");
        var parts = name.Split('/', 4);
        if (parts.Length != 4 || parts[0].Length != 0 || parts.Skip(1).Any(p => p.Length == 0))
        {
            return $"bad name '{name}'";
        }
        if (hash.Hex(parts[1], parts[2], parts[3]) != directoryHash)
        {
            return $"{name} does not hash to {directoryHash}";
        }
        if (metadata.GetValueOrDefault("X-Timestamp") != Path.GetFileNameWithoutExtension(data))
        {
            return "X-Timestamp does not match the file name";
        }
        await using var stream = new FileStream(data, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        if (metadata.GetValueOrDefault("Content-Length") != stream.Length.ToString(CultureInfo.InvariantCulture))
        {
            return $"length {stream.Length} is not the Content-Length {metadata.GetValueOrDefault("Content-Length")}";
        }
        var md5 = Convert.ToHexString(await MD5.HashDataAsync(stream, cancellationToken).ConfigureAwait(false)).ToLowerInvariant();
        return string.Equals(md5, metadata.GetValueOrDefault("ETag"), StringComparison.OrdinalIgnoreCase)
            ? null
            : $"MD5 {md5} is not the ETag {metadata.GetValueOrDefault("ETag")}";
    }

    /// <summary>Moves the object out of the way (swift's quarantine_renamer) and invalidates its suffix.</summary>
    private void Quarantine(string device, string dataDirectory, string hashDirectory, string problem)
    {
        var objectHash = Path.GetFileName(hashDirectory);
        var suffixDirectory = Path.GetDirectoryName(hashDirectory)!;
        var partitionDirectory = Path.GetDirectoryName(suffixDirectory)!;
        var target = Path.Combine(device, "quarantined", dataDirectory, objectHash);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (Directory.Exists(target))
        {
            target += "-" + Guid.NewGuid().ToString("N");
        }
        Directory.Move(hashDirectory, target);
        PartitionHashes.Invalidate(partitionDirectory, Path.GetFileName(suffixDirectory));
        LogQuarantined(objectHash, problem, target);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quarantined object {Hash}: {Problem}; moved to {Target}")]
    private partial void LogQuarantined(string hash, string problem, string target);
}
