using Cloud.Modules.Kernel.IO;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;

namespace Cloud.Modules.Glance.Stores;

/// <summary>
/// One segment of an upload: at most <c>limit</c> bytes read straight from the caller's stream while they are sent,
/// with their MD5 (to check Swift's ETag). The first bytes are read before the request starts, so an input at its end
/// yields no segment; until more than those are sent, the segment can be sent again (after a 401). A failure of the
/// input is kept so the store can rethrow it rather than the HTTP client's wrapper.
/// </summary>
public sealed class SegmentReadStream : ReadOnlyStream
{
    private const int FirstRead = 64 * 1024;
    private readonly Stream _input;
    private readonly byte[] _first;
    private readonly long _limit;
    private IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private int _firstPosition;
    private long _fromInput;

    private SegmentReadStream(Stream input, byte[] first, long limit)
    {
        _input = input;
        _first = first;
        _limit = limit;
    }

    /// <summary>Bytes sent so far.</summary>
    public long Sent => _firstPosition + _fromInput;

    /// <summary>What the input threw, if it did.</summary>
    public ExceptionDispatchInfo? InputFailure { get; private set; }

    /// <summary>Hex MD5 of the bytes sent, once the segment is done (the HTTP client disposes the stream before that).</summary>
    public string FinishMd5()
    {
        var hex = Convert.ToHexString(_md5.GetHashAndReset()).ToLowerInvariant();
        _md5.Dispose();
        return hex;
    }

    /// <summary>The next segment of <paramref name="input"/>, at most <paramref name="limit"/> bytes, or null at its end.</summary>
    public static async Task<SegmentReadStream?> StartAsync(Stream input, long limit, CancellationToken ct)
    {
        var first = new byte[(int)Math.Min(FirstRead, limit)];
        var filled = 0;
        int read;
        while (filled < first.Length && (read = await input.ReadAsync(first.AsMemory(filled), ct).ConfigureAwait(false)) > 0)
        {
            filled += read;
        }
        return filled == 0 ? null : new SegmentReadStream(input, first[..filled], limit);
    }

    /// <summary>Rewinds for a resend; false when bytes beyond the first read have gone and cannot be read again.</summary>
    public bool TryRestart()
    {
        if (_fromInput > 0)
        {
            return false;
        }
        _firstPosition = 0;
        _md5.Dispose();
        _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        return true;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_firstPosition < _first.Length)
        {
            var n = Math.Min(buffer.Length, _first.Length - _firstPosition);
            _first.AsMemory(_firstPosition, n).CopyTo(buffer);
            _md5.AppendData(_first, _firstPosition, n);
            _firstPosition += n;
            return n;
        }
        var room = (int)Math.Min(buffer.Length, _limit - Sent);
        if (room <= 0)
        {
            return 0;
        }
        int read;
        try
        {
            read = await _input.ReadAsync(buffer[..room], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            InputFailure = ExceptionDispatchInfo.Capture(e);
            throw;
        }
        _md5.AppendData(buffer.Span[..read]);
        _fromInput += read;
        return read;
    }
}
