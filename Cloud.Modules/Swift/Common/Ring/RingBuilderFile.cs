using System.Buffers.Binary;
using System.Text.Json;

namespace Cloud.Modules.Swift.Common.Ring;

/// <summary>
/// cloudd's <c>.builder</c> format: UTF-8 JSON, not swift's Python pickle.
/// <code>
/// { "format": "cloudd-ring-builder", "formatVersion": 1,
///   "partPower": 18, "replicas": 2, "minPartHours": 1, "version": 7, "pendingChanges": false,
///   "devices": [ { "id": 0, "region": 1, "zone": 1, "ip": "192.168.0.1", "port": 6000,
///                  "replicationIp": "192.168.0.1", "replicationPort": 6000,
///                  "device": "sda5", "weight": 100, "meta": "" } ],
///   "assignments": [ "&lt;base64 int32 LE, one per partition&gt;", ... one string per replica, or null before the first rebalance ],
///   "lastMoved": "&lt;base64 int64 LE unix seconds per partition&gt;" }
/// </code>
/// </summary>
internal static class RingBuilderFile
{
    private const string FormatName = "cloudd-ring-builder";
    private const int FormatVersion = 1;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    internal sealed record State(
        int PartPower, int Replicas, int MinPartHours, int Version, bool PendingChanges,
        RingDevice[] Devices, int[][]? Assignments, long[]? LastMoved);

    private sealed record Dto(
        string Format, int FormatVersion, int PartPower, int Replicas, int MinPartHours, int Version,
        bool PendingChanges, RingDevice[] Devices, string[]? Assignments, string? LastMoved);

    public static void Save(string path, State s)
    {
        var dto = new Dto(FormatName, FormatVersion, s.PartPower, s.Replicas, s.MinPartHours, s.Version, s.PendingChanges,
            s.Devices, s.Assignments?.Select(EncodeInts).ToArray(), s.LastMoved is null ? null : EncodeLongs(s.LastMoved));
        // Write then rename so a crash never leaves a half-written builder, the operator's only copy of the ring history.
        var tmp = path + ".tmp";
        File.WriteAllBytes(tmp, JsonSerializer.SerializeToUtf8Bytes(dto, Json));
        File.Move(tmp, path, overwrite: true);
    }

    public static State Load(string path)
    {
        Dto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<Dto>(File.ReadAllBytes(path), Json);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new RingBuilderException($"Cannot read ring builder '{path}': {e.Message}", e);
        }
        if (dto is null || dto.Format != FormatName)
            throw new RingBuilderException($"'{path}' is not a cloudd ring builder file (format '{dto?.Format}').");
        if (dto.FormatVersion != FormatVersion)
            throw new RingBuilderException($"'{path}' has builder format version {dto.FormatVersion}; this cloudd reads {FormatVersion}.");

        var parts = 1L << dto.PartPower;
        var assign = dto.Assignments?.Select(DecodeInts).ToArray();
        var moved = dto.LastMoved is null ? null : DecodeLongs(dto.LastMoved);
        if (assign is not null && (assign.Length != dto.Replicas || assign.Any(row => row.Length != parts) || moved?.Length != parts))
            throw new RingBuilderException($"'{path}' is inconsistent: its tables do not match {dto.Replicas} replicas of {parts} partitions.");
        return new State(dto.PartPower, dto.Replicas, dto.MinPartHours, dto.Version, dto.PendingChanges, dto.Devices ?? [], assign, moved);
    }

    private static string EncodeInts(int[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        return Convert.ToBase64String(bytes);
    }

    private static int[] DecodeInts(string text)
    {
        var bytes = Convert.FromBase64String(text);
        var values = new int[bytes.Length / 4];
        for (var i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i * 4));
        return values;
    }

    private static string EncodeLongs(long[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        return Convert.ToBase64String(bytes);
    }

    private static long[] DecodeLongs(string text)
    {
        var bytes = Convert.FromBase64String(text);
        var values = new long[bytes.Length / 8];
        for (var i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * 8));
        return values;
    }
}
