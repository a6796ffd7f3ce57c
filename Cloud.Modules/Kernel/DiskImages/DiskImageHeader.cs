using System.Buffers.Binary;
using System.Text;

namespace Cloud.Modules.Kernel.DiskImages;

/// <summary>
/// What an image's first bytes say it is, read by us and not by qemu-img (nova's format_inspector): qemu-img probing an
/// untrusted file may already open the files it names (a vmdk's extents, a qcow2's external data file). Knows the
/// formats qemu would recognise; anything else is <c>raw</c>. For qcow2 it also reads whether the header names a backing
/// file or an external data file, the two ways a qcow2 reaches other files on the host.
/// </summary>
/// <param name="Format">qemu's name of the format: raw, qcow2, qcow (version 1), qed, vmdk, vdi, vhdx, vpc, luks, parallels.</param>
/// <param name="HasBackingFile">A qcow2 whose header has a backing file name (or a qcow/qed, whose backing cannot be ruled out).</param>
/// <param name="HasDataFile">A qcow2 with the external data file feature (incompatible feature bit 2).</param>
public sealed record DiskImageHeader(string Format, bool HasBackingFile = false, bool HasDataFile = false)
{
    /// <summary>Bytes read from the start of the file: the qcow2 v3 header and the VDI signature at 0x40 fit.</summary>
    public const int ProbeLength = 512;

    private const ulong Qcow2DataFileFeature = 1UL << 2;

    private static readonly (string Format, int Offset, byte[] Magic)[] Magics =
    [
        ("qcow2", 0, [(byte)'Q', (byte)'F', (byte)'I', 0xfb]),
        ("qed", 0, [(byte)'Q', (byte)'E', (byte)'D', 0]),
        ("vmdk", 0, Encoding.ASCII.GetBytes("KDMV")),
        ("vmdk", 0, Encoding.ASCII.GetBytes("# Disk DescriptorFile")),
        ("vmdk", 0, Encoding.ASCII.GetBytes("COWD")),
        ("vdi", 0x40, [0x7f, 0x10, 0xda, 0xbe]),
        ("vhdx", 0, Encoding.ASCII.GetBytes("vhdxfile")),
        ("vpc", 0, Encoding.ASCII.GetBytes("conectix")),
        ("luks", 0, [(byte)'L', (byte)'U', (byte)'K', (byte)'S', 0xba, 0xbe]),
        ("parallels", 0, Encoding.ASCII.GetBytes("WithoutFreeSpace")),
        ("parallels", 0, Encoding.ASCII.GetBytes("WithouFreSpacExt")),
    ];

    /// <summary>Reads the header of the file at <paramref name="path"/>.</summary>
    public static async Task<DiskImageHeader> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var buffer = new byte[ProbeLength];
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            var length = await file.ReadAtLeastAsync(buffer, ProbeLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return Parse(buffer.AsSpan(0, length));
        }
    }

    /// <summary>The header these bytes (the start of an image) describe.</summary>
    public static DiskImageHeader Parse(ReadOnlySpan<byte> start)
    {
        foreach (var (format, offset, magic) in Magics)
        {
            if (start.Length >= offset + magic.Length && start.Slice(offset, magic.Length).SequenceEqual(magic))
            {
                return format switch
                {
                    "qcow2" => Qcow(start),
                    // qed has a backing file field too; its images are refused anyway, but say so if asked.
                    "qed" => new DiskImageHeader(format, HasBackingFile: true),
                    _ => new DiskImageHeader(format),
                };
            }
        }
        return new DiskImageHeader("raw");
    }

    /// <summary>
    /// qcow2 header, big-endian: version at 4, backing_file_offset at 8, backing_file_size at 16, and from version 3
    /// incompatible_features at 72. Version 1 (qemu's "qcow") is another format; a header cut short hides nothing.
    /// </summary>
    private static DiskImageHeader Qcow(ReadOnlySpan<byte> start)
    {
        if (start.Length < 72)
        {
            return new DiskImageHeader("qcow2", HasBackingFile: true, HasDataFile: true);
        }
        var version = BinaryPrimitives.ReadUInt32BigEndian(start[4..]);
        if (version == 1)
        {
            return new DiskImageHeader("qcow", HasBackingFile: true);
        }
        var backing = BinaryPrimitives.ReadUInt64BigEndian(start[8..]) != 0 || BinaryPrimitives.ReadUInt32BigEndian(start[16..]) != 0;
        var dataFile = version >= 3 && (start.Length < 80 || (BinaryPrimitives.ReadUInt64BigEndian(start[72..]) & Qcow2DataFileFeature) != 0);
        return new DiskImageHeader("qcow2", backing, dataFile);
    }
}
