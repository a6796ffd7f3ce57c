using System.Text;

namespace Cloud.Modules.Swift.Common;

/// <summary>
/// Header values as Swift carries them: UTF-8 in meaning, Latin-1 on the wire. The proxy's and storage servers'
/// HTTP stacks read and write header values as Latin-1 (<see cref="Encoding"/>), so each char of a value is one byte
/// as the client sent it and UTF-8 passes through untouched; where the proxy itself reads a value as a name
/// (X-Object-Manifest, X-Copy-From, Destination, a symlink's target) it decodes those bytes as UTF-8 with
/// <see cref="Decode"/>, and where it writes a name into a header it encodes with <see cref="Encode"/>.
/// </summary>
public static class SwiftHeaderText
{
    /// <summary>The encoding of header values on the wire (HTTP's historical ISO-8859-1: one byte, one char).</summary>
    public static Encoding Encoding => Encoding.Latin1;

    /// <summary>The text a client meant by a header value read as Latin-1 (its bytes decoded as UTF-8; invalid UTF-8 stays as read).</summary>
    public static string Decode(string wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        if (wire.All(c => c < 0x80))
        {
            return wire;
        }
        if (wire.Any(c => c > 0xFF))
        {
            return wire; // Already text (not from the wire).
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Encoding.Latin1.GetBytes(wire));
        }
        catch (DecoderFallbackException)
        {
            return wire;
        }
    }

    /// <summary>The Latin-1 header value whose bytes are <paramref name="text"/>'s UTF-8.</summary>
    public static string Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.All(c => c < 0x80) ? text : Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>The number of bytes a header value read as Latin-1 had on the wire (what Swift's limits count).</summary>
    public static int ByteCount(string wire) => wire?.Length ?? 0;
}
