using System.Security.Cryptography;

namespace Cloud.Modules.Glance.Streaming;

/// <summary>A hash of the data (MD5 for glance's checksum, SHA-512 for its os_hash_value), as lower-case hex once complete.</summary>
public sealed class HashSink(HashAlgorithmName algorithm) : IChunkSink, IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(algorithm);
    private string? _hex;

    /// <summary>The hash of all the data; only after <see cref="Complete"/>.</summary>
    public string Hex => _hex ?? throw new InvalidOperationException("The data has not been read to its end.");

    public void Write(ReadOnlySpan<byte> data) => _hash.AppendData(data);

    public void Complete() => _hex = Convert.ToHexStringLower(_hash.GetHashAndReset());

    public void Dispose() => _hash.Dispose();
}
