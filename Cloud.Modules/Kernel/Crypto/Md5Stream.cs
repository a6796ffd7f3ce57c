using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Cloud.Modules.Kernel.Crypto;

/// <summary>
/// The MD5 of one message appended in pieces, for a body hashed as it streams in. Where the processor has AVX-512VL,
/// whole blocks go to <see cref="Md5Combiner.Shared"/>, which hashes the messages of concurrent writers together (the
/// replicas of a large PUT that one storage process holds: about 40 % of their MD5's CPU); elsewhere OpenSSL's MD5.
/// Not thread-safe: one writer appends, then takes the hash once.
/// </summary>
public sealed class Md5Stream : IDisposable
{
    private readonly IncrementalHash? _openSsl;
    private readonly Md5Combiner? _combiner;
    private readonly uint[] _state = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476];
    private readonly byte[] _pending = new byte[64];
    private int _pendingLength;
    private long _length;
    // The last append still being hashed: the next one that is not whole blocks waits for it.
    private Task _inFlight = Task.CompletedTask;
    // The last append that handles a partial block: until it ends, _pendingLength is not yet known.
    private Task _ordered = Task.CompletedTask;

    /// <summary>A hash that uses <paramref name="combiner"/> (default the shared one) where the processor allows it.</summary>
    public Md5Stream(Md5Combiner? combiner = null)
    {
        if (Md5Rounds.LanesSupported)
        {
            _combiner = combiner ?? Md5Combiner.Shared;
        }
        else
        {
            _openSsl = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        }
    }

    internal uint[] State => _state;

    /// <summary>
    /// Appends <paramref name="data"/>, which must stay unchanged until the task ends. Whole blocks with nothing pending
    /// may be appended again before the task ends (hashed in order: the next chunk fills while this one is hashed);
    /// anything else waits for what is in flight. <see cref="Finish"/> only once every task has ended.
    /// </summary>
    public Task AppendAsync(ReadOnlyMemory<byte> data)
    {
        if (_openSsl is { } openSsl)
        {
            openSsl.AppendData(data.Span);
            return Task.CompletedTask;
        }
        if (_pendingLength == 0 && data.Length % 64 == 0 && _ordered.IsCompleted)
        {
            _length += data.Length;
            return _inFlight = data.IsEmpty ? _inFlight : _combiner!.HashAsync(this, data);
        }
        return _inFlight = _ordered = AppendInOrderAsync(data, _inFlight);
    }

    private async Task AppendInOrderAsync(ReadOnlyMemory<byte> data, Task previous)
    {
        await previous.ConfigureAwait(false);
        _length += data.Length;
        if (_pendingLength > 0)
        {
            var take = Math.Min(64 - _pendingLength, data.Length);
            data.Span[..take].CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += take;
            data = data[take..];
            if (_pendingLength < 64)
            {
                return;
            }
            Md5Rounds.Scalar(_state, _pending, 1);
            _pendingLength = 0;
        }
        var whole = data.Length & ~63;
        if (whole > 0)
        {
            await _combiner!.HashAsync(this, data[..whole]).ConfigureAwait(false);
        }
        data.Span[whole..].CopyTo(_pending);
        _pendingLength = data.Length - whole;
    }

    /// <summary>The lowercase hex MD5 of everything appended.</summary>
    public string Finish()
    {
        if (_openSsl is { } openSsl)
        {
            return Convert.ToHexStringLower(openSsl.GetHashAndReset());
        }
        // RFC 1321's padding: 0x80, zeros to 56 bytes mod 64, the length in bits (little-endian).
        Span<byte> tail = stackalloc byte[128];
        tail.Clear();
        _pending.AsSpan(0, _pendingLength).CopyTo(tail);
        tail[_pendingLength] = 0x80;
        var blocks = _pendingLength < 56 ? 1 : 2;
        BinaryPrimitives.WriteUInt64LittleEndian(tail.Slice(64 * blocks - 8), (ulong)_length * 8);
        Md5Rounds.Scalar(_state, tail, blocks);
        Span<byte> hash = stackalloc byte[16];
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(hash[(4 * i)..], _state[i]);
        }
        return Convert.ToHexStringLower(hash);
    }

    public void Dispose() => _openSsl?.Dispose();
}
