using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Cloud.Modules.Kernel.Http;

/// <summary>
/// Gives Kestrel <see cref="LargeBlockMemoryPool"/>s in place of its 4 KiB-block pool (registered in one endpoint's
/// services: Kestrel's socket transport takes its pools from <see cref="IMemoryPoolFactory{T}"/>).
/// </summary>
public sealed class LargeBlockPoolFactory(int blockSize) : IMemoryPoolFactory<byte>
{
    // Per pool (Kestrel makes one per I/O queue): 256 free 64 KiB blocks are 16 MiB, about what 128 busy connections
    // hold between them (one block waiting to receive, one to send).
    private const int MaxRetained = 256;

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool(blockSize, MaxRetained);
}
