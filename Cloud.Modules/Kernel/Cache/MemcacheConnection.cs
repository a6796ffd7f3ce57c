using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Cloud.Modules.Kernel.Cache;

/// <summary>One TCP connection speaking memcached's text protocol (get, set, delete), used by one request at a time.</summary>
internal sealed class MemcacheConnection : IAsyncDisposable
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private MemcacheConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<MemcacheConnection> OpenAsync(string host, int port, CancellationToken ct)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, ct).ConfigureAwait(false);
            return new MemcacheConnection(tcp);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken ct)
    {
        await WriteAsync($"get {key}\r\n", ReadOnlyMemory<byte>.Empty, ct).ConfigureAwait(false);
        var line = await ReadLineAsync(ct).ConfigureAwait(false);
        if (line == "END")
        {
            return null;
        }
        // VALUE <key> <flags> <bytes>
        var parts = line.Split(' ');
        if (parts.Length < 4 || parts[0] != "VALUE" || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw new IOException($"memcached answered '{line}' to get");
        }
        var value = new byte[length];
        await ReadExactlyAsync(value, ct).ConfigureAwait(false);
        await ReadExactlyAsync(new byte[2], ct).ConfigureAwait(false);
        var end = await ReadLineAsync(ct).ConfigureAwait(false);
        return end == "END" ? value : throw new IOException($"memcached answered '{end}' after a value");
    }

    public async Task SetAsync(string key, ReadOnlyMemory<byte> value, int seconds, CancellationToken ct)
    {
        await WriteAsync(string.Create(CultureInfo.InvariantCulture, $"set {key} 0 {seconds} {value.Length}\r\n"), value, ct).ConfigureAwait(false);
        var line = await ReadLineAsync(ct).ConfigureAwait(false);
        if (line != "STORED")
        {
            throw new IOException($"memcached answered '{line}' to set");
        }
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        await WriteAsync($"delete {key}\r\n", ReadOnlyMemory<byte>.Empty, ct).ConfigureAwait(false);
        var line = await ReadLineAsync(ct).ConfigureAwait(false);
        if (line is not ("DELETED" or "NOT_FOUND"))
        {
            throw new IOException($"memcached answered '{line}' to delete");
        }
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task WriteAsync(string command, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        var head = Encoding.ASCII.GetBytes(command);
        if (data.IsEmpty)
        {
            await _stream.WriteAsync(head, ct).ConfigureAwait(false);
            return;
        }
        // One write for small values, so a set is one segment on the wire.
        var message = new byte[head.Length + data.Length + Crlf.Length];
        head.CopyTo(message, 0);
        data.CopyTo(message.AsMemory(head.Length));
        Crlf.CopyTo(message, head.Length + data.Length);
        await _stream.WriteAsync(message, ct).ConfigureAwait(false);
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var at = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (at >= 0)
            {
                var line = Encoding.ASCII.GetString(_buffer, _start, at - _start).TrimEnd('\r');
                _start = at + 1;
                return line;
            }
            await FillAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task ReadExactlyAsync(byte[] target, CancellationToken ct)
    {
        var copied = 0;
        while (copied < target.Length)
        {
            if (_start == _end)
            {
                await FillAsync(ct).ConfigureAwait(false);
            }
            var n = Math.Min(target.Length - copied, _end - _start);
            Buffer.BlockCopy(_buffer, _start, target, copied, n);
            (_start, copied) = (_start + n, copied + n);
        }
    }

    private async Task FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            (_end, _start) = (_end - _start, 0);
        }
        if (_end == _buffer.Length)
        {
            throw new IOException("memcached sent a line longer than the read buffer");
        }
        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
        _end += read > 0 ? read : throw new IOException("memcached closed the connection");
    }
}
