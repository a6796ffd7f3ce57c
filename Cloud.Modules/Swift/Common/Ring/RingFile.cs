using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cloud.Modules.Swift.Common.Ring;

/// <summary>
/// The compiled ring (<c>account|container|object.ring.gz</c>) in OpenStack Swift's own
/// format version 1 (<c>swift.common.ring.RingData.serialize_v1</c>), so rings move between
/// cloudd and Swift in both directions. Inside the gzip stream:
/// <code>
/// "R1NG"                      4 bytes magic
/// 1                           uint16, network order: format version
/// n                           uint32, network order: length of the JSON header
/// {"byteorder": "little", "devs": [{"device": "sda5", "id": 0, "ip": "10.0.0.1", "meta": "",
///   "port": 6000, "region": 1, "replication_ip": "10.0.0.1", "replication_port": 6000,
///   "weight": 100, "zone": 1}, null, ...], "part_shift": 14, "replica_count": 3}
///                             n bytes of ASCII JSON; devs[i] has id i, null for a removed id
/// replica_count arrays of 2^(32 - part_shift) uint16 device ids, in the header's byteorder
/// </code>
/// Swift's pre-1.7 pickled rings (no magic) are not read.
/// </summary>
internal static class RingFile
{
    private static readonly byte[] Magic = "R1NG"u8.ToArray();
    private const ushort FormatVersion = 1;

    // Swift writes json.dumps(sort_keys=True, ensure_ascii=True); the default encoder escapes all non-ASCII too.
    private static readonly JsonWriterOptions HeaderWriter = new() { Encoder = JavaScriptEncoder.Default };

    internal sealed record Contents(int PartPower, int Replicas, RingDevice[] Devices, int[][] Replica2Part2Dev);

    public static void Write(string path, Contents c)
    {
        var header = WriteHeader(c);
        var tmp = path + ".tmp";
        using (var file = File.Create(tmp))
        using (var gz = new GZipStream(file, CompressionLevel.Optimal))
        {
            Span<byte> prefix = stackalloc byte[10];
            Magic.CopyTo(prefix);
            BinaryPrimitives.WriteUInt16BigEndian(prefix[4..], FormatVersion);
            BinaryPrimitives.WriteUInt32BigEndian(prefix[6..], (uint)header.Length);
            gz.Write(prefix);
            gz.Write(header);
            foreach (var row in c.Replica2Part2Dev)
                gz.Write(EncodeRow(row));
        }
        // Storage nodes reload rings while serving, so they must never see a torn file.
        File.Move(tmp, path, overwrite: true);
    }

    public static Contents Read(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            using var gz = new GZipStream(file, CompressionMode.Decompress);
            return Read(path, gz);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException or UnauthorizedAccessException
                                      or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new RingBuilderException($"Cannot read ring '{path}': {e.Message}", e);
        }
    }

    private static Contents Read(string path, Stream gz)
    {
        var prefix = new byte[10];
        if (gz.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false) < prefix.Length || !prefix.AsSpan(0, 4).SequenceEqual(Magic))
            throw new InvalidDataException("not a swift ring file (no 'R1NG' magic).");
        var version = BinaryPrimitives.ReadUInt16BigEndian(prefix.AsSpan(4));
        if (version != FormatVersion)
            throw new InvalidDataException($"unknown ring format version {version}, expected {FormatVersion}.");
        var headerLength = BinaryPrimitives.ReadUInt32BigEndian(prefix.AsSpan(6));
        if (headerLength > 1 << 30)
            throw new InvalidDataException($"JSON header of {headerLength} bytes is implausibly large.");
        var header = new byte[headerLength];
        gz.ReadExactly(header);

        using var doc = JsonDocument.Parse(header);
        var root = doc.RootElement;
        var partShift = root.GetProperty("part_shift").GetInt32();
        var replicas = root.GetProperty("replica_count").GetInt32();
        if (partShift is < 0 or > 31 || replicas < 1)
            throw new InvalidDataException($"bad part_shift {partShift} or replica_count {replicas}.");
        // Swift defaults to the reader's byte order; every platform Swift or cloudd runs on is little-endian.
        var bigEndian = root.TryGetProperty("byteorder", out var order) && order.GetString() == "big";
        var devices = ReadDevices(root.GetProperty("devs"));

        var partPower = 32 - partShift;
        var partitions = 1 << partPower;
        var table = new int[replicas][];
        var ids = devices.Select(d => d.Id).ToHashSet();
        for (var r = 0; r < replicas; r++)
        {
            var bytes = new byte[2 * partitions];
            var read = gz.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            // Only the last replica may be short: swift's fractional replica counts cover part of the partitions.
            if (read % 2 != 0 || read == 0 || (read < bytes.Length && r != replicas - 1))
                throw new InvalidDataException($"replica {r} has {read} bytes, expected {bytes.Length}.");
            table[r] = DecodeRow(bytes.AsSpan(0, read), bigEndian);
            if (table[r].Any(id => !ids.Contains(id)))
                throw new RingBuilderException($"'{path}' is inconsistent: replica {r} names a device id that is not in its devs.");
        }
        return new Contents(partPower, replicas, devices, table);
    }

    private static byte[] WriteHeader(Contents c)
    {
        var byId = c.Devices.ToDictionary(d => d.Id);
        var slots = c.Devices.Length == 0 ? 0 : c.Devices.Max(d => d.Id) + 1;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, HeaderWriter))
        {
            // Keys in sorted order, as swift writes them, so identical rings give identical bytes.
            json.WriteStartObject();
            json.WriteString("byteorder", "little");
            json.WriteStartArray("devs");
            for (var id = 0; id < slots; id++)
            {
                // Swift indexes devs by id, so removed ids stay as null holes.
                if (!byId.TryGetValue(id, out var d))
                {
                    json.WriteNullValue();
                    continue;
                }
                json.WriteStartObject();
                json.WriteString("device", d.Device);
                json.WriteNumber("id", d.Id);
                json.WriteString("ip", d.Ip);
                json.WriteString("meta", d.Meta);
                json.WriteNumber("port", d.Port);
                json.WriteNumber("region", d.Region);
                json.WriteString("replication_ip", d.ReplicationIp);
                json.WriteNumber("replication_port", d.ReplicationPort);
                json.WriteNumber("weight", d.Weight);
                json.WriteNumber("zone", d.Zone);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteNumber("part_shift", 32 - c.PartPower);
            json.WriteNumber("replica_count", c.Replica2Part2Dev.Length);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static RingDevice[] ReadDevices(JsonElement devs)
    {
        var devices = new List<RingDevice>();
        var index = 0;
        foreach (var dev in devs.EnumerateArray())
        {
            if (dev.ValueKind != JsonValueKind.Null)
            {
                var id = dev.GetProperty("id").GetInt32();
                if (id != index)
                    throw new InvalidDataException($"device at index {index} has id {id}; swift looks devices up by index.");
                var ip = dev.GetProperty("ip").GetString()!;
                var port = dev.GetProperty("port").GetInt32();
                // Defaults are the ones swift's Ring applies to rings from older releases.
                devices.Add(new RingDevice(
                    id,
                    Optional(dev, "region")?.GetInt32() ?? 1,
                    dev.GetProperty("zone").GetInt32(),
                    ip,
                    port,
                    Optional(dev, "replication_ip")?.GetString() ?? ip,
                    Optional(dev, "replication_port")?.GetInt32() ?? port,
                    dev.GetProperty("device").GetString()!,
                    dev.GetProperty("weight").GetDouble(),
                    Optional(dev, "meta")?.GetString() ?? ""));
            }
            index++;
        }
        return [.. devices];
    }

    private static JsonElement? Optional(JsonElement dev, string name) =>
        dev.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static byte[] EncodeRow(int[] ids)
    {
        var bytes = new byte[ids.Length * 2];
        for (var i = 0; i < ids.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), checked((ushort)ids[i]));
        return bytes;
    }

    private static int[] DecodeRow(ReadOnlySpan<byte> bytes, bool bigEndian)
    {
        var ids = new int[bytes.Length / 2];
        for (var i = 0; i < ids.Length; i++)
        {
            var slice = bytes.Slice(i * 2, 2);
            ids[i] = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(slice) : BinaryPrimitives.ReadUInt16LittleEndian(slice);
        }
        return ids;
    }
}
