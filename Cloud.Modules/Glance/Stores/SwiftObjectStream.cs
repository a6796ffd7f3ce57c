using Cloud.Modules.Kernel.IO;
namespace Cloud.Modules.Glance.Stores;

/// <summary>
/// The body of a Swift GET, owning its response. When Swift ignored the Range (cloudd's proxy does for large
/// objects, answering 200 with the whole object), the bytes before the range are skipped and the read stops at its
/// end, so callers always get exactly the range they asked for.
/// </summary>
public sealed class SwiftObjectStream : ReadOnlyStream
{
    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private long _skip;
    private long? _remaining;

    private SwiftObjectStream(HttpResponseMessage response, Stream body, long skip, long? remaining)
    {
        _response = response;
        _body = body;
        _skip = skip;
        _remaining = remaining;
    }

    /// <summary>
    /// Wraps the body of <paramref name="response"/>; <paramref name="skip"/> and <paramref name="length"/> cut a
    /// range out of a body that starts at byte 0.
    /// </summary>
    public static async Task<SwiftObjectStream> OpenAsync(HttpResponseMessage response, long skip, long? length, CancellationToken ct) =>
        new(response, await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), skip, length);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_skip > 0)
        {
            var skipped = await _body.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _skip)], cancellationToken).ConfigureAwait(false);
            if (skipped == 0)
            {
                return 0;
            }
            _skip -= skipped;
        }
        if (_remaining is { } left)
        {
            if (left == 0)
            {
                return 0;
            }
            buffer = buffer[..(int)Math.Min(buffer.Length, left)];
        }
        var read = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _remaining -= read;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
            _response.Dispose();
        }
        base.Dispose(disposing);
    }
}
