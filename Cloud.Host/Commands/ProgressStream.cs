using Cloud.Modules.Kernel.IO;
using System.Globalization;
using Cloud.Modules.Glance;

namespace Cloud.Host.Commands;

/// <summary>
/// Passes a transfer through and draws a progress bar on a terminal (<c>[#####     ]  45%  12.3/27.0 MiB</c>, redrawn
/// in place at most ten times a second); anything else gets the plain stream, so scripts see only the result lines.
/// </summary>
public sealed class ProgressStream : ReadOnlyStream
{
    private const int Width = 30;
    private readonly Stream _inner;
    private readonly long? _total;
    private readonly TextWriter _bar;
    private long _done;
    private long _drawnAt = long.MinValue;
    private bool _finished;

    private ProgressStream(Stream inner, long? total, TextWriter bar) => (_inner, _total, _bar) = (inner, total, bar);

    /// <summary><paramref name="inner"/> itself when stdout is not a terminal, else a stream that draws on stdout.</summary>
    public static Stream Wrap(Stream inner, long? total) =>
        Console.IsOutputRedirected ? inner : new ProgressStream(inner, total, Console.Out);

    public override bool CanSeek => _inner.CanSeek;

    /// <summary>The file's length, so an upload goes with a Content-Length.</summary>
    public override long Length => _inner.Length;

    public override long Position { get => _inner.Position; set => _inner.Position = value; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Advance(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private int Advance(int read)
    {
        _done += read;
        if (_finished)
        {
            return read;
        }
        _finished = read == 0;
        var now = Environment.TickCount64;
        if (read == 0 || now - _drawnAt >= 100)
        {
            _drawnAt = now;
            Draw(finished: read == 0);
        }
        return read;
    }

    private void Draw(bool finished)
    {
        var mib = _done / 1048576.0;
        var line = _total is > 0 and var total
            ? string.Create(CultureInfo.InvariantCulture,
                $"[{new string('#', (int)(Width * _done / total)).PadRight(Width)}] {100 * _done / total,3}%  {mib:F1}/{total / 1048576.0:F1} MiB")
            : string.Create(CultureInfo.InvariantCulture, $"{mib:F1} MiB");
        _bar.Write($"\r{line}{(finished ? "\n" : "")}");
        _bar.Flush();
    }
}
