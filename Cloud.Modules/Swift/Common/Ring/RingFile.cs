using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;

namespace Cloud.Modules.Swift.Common.Ring;

/// <summary>
/// The compiled ring (<c>account|container|object.ring.gz</c>): gzip'd UTF-8 JSON
/// <code>
/// { "format": "cloudd-ring", "formatVersion": 1, "partPower": 18, "replicas": 2,
///   "devices": [ ...RingDevice as in the builder file... ],
///   "replica2Part2Dev": [ "&lt;base64 uint16 LE device id per partition&gt;", ... one per replica ] }
/// </code>
/// Device ids are 16-bit, as in swift's <c>array('H')</c> tables.
/// </summary>
internal static class RingFile
{
    private const string FormatName = "cloudd-ring";
    private const int FormatVersion = 1;

    internal sealed record Contents(int PartPower, int Replicas, RingDevice[] Devices, int[][] Replica2Part2Dev);

    private sealed record Dto(string Format, int FormatVersion, int PartPower, int Replicas, RingDevice[] Devices, string[] Replica2Part2Dev);

    public static void Write(string path, Contents c)
    {
        var dto = new Dto(FormatName, FormatVersion, c.PartPower, c.Replicas, c.Devices, [.. c.Replica2Part2Dev.Select(Encode)]);
        var tmp = path + ".tmp";
        using (var file = File.Create(tmp))
        using (var gz = new GZipStream(file, CompressionLevel.Optimal))
            JsonSerializer.Serialize(gz, dto, RingBuilderFile.Json);
        // Storage nodes reload rings while serving, so they must never see a torn file.
        File.Move(tmp, path, overwrite: true);
    }

    public static Contents Read(string path)
    {
        Dto? dto;
        try
        {
            using var file = File.OpenRead(path);
            using var gz = new GZipStream(file, CompressionMode.Decompress);
            dto = JsonSerializer.Deserialize<Dto>(gz, RingBuilderFile.Json);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException or UnauthorizedAccessException)
        {
            throw new RingBuilderException($"Cannot read ring '{path}': {e.Message}", e);
        }
        if (dto is null || dto.Format != FormatName || dto.FormatVersion != FormatVersion)
            throw new RingBuilderException($"'{path}' is not a cloudd ring file of format version {FormatVersion}.");

        var table = dto.Replica2Part2Dev.Select(Decode).ToArray();
        var ids = dto.Devices.Select(d => d.Id).ToHashSet();
        if (table.Length != dto.Replicas || table.Any(row => row.Length != 1L << dto.PartPower || row.Any(id => !ids.Contains(id))))
            throw new RingBuilderException($"'{path}' is inconsistent: its table does not match {dto.Replicas} replicas of 2^{dto.PartPower} partitions over its devices.");
        return new Contents(dto.PartPower, dto.Replicas, dto.Devices, table);
    }

    private static string Encode(int[] ids)
    {
        var bytes = new byte[ids.Length * 2];
        for (var i = 0; i < ids.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), checked((ushort)ids[i]));
        return Convert.ToBase64String(bytes);
    }

    private static int[] Decode(string text)
    {
        var bytes = Convert.FromBase64String(text);
        var ids = new int[bytes.Length / 2];
        for (var i = 0; i < ids.Length; i++)
            ids[i] = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i * 2));
        return ids;
    }
}
