using Cloud.Modules.Kernel.Http;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

public class LargeBlockMemoryPoolTests
{
    [Test]
    public void Every_block_is_the_configured_size_whatever_is_asked()
    {
        using var pool = new LargeBlockPoolFactory(LargeBlockMemoryPool.BulkBlockSize).Create();

        pool.MaxBufferSize.Should().Be(64 * 1024);
        using var small = pool.Rent(1);
        using var unspecified = pool.Rent();
        using var whole = pool.Rent(64 * 1024);
        small.Memory.Length.Should().Be(64 * 1024, "a pipe asks for a minimum and receives into the whole block");
        unspecified.Memory.Length.Should().Be(64 * 1024);
        whole.Memory.Length.Should().Be(64 * 1024);
    }

    [Test]
    public void More_than_a_block_is_refused()
    {
        using var pool = new LargeBlockMemoryPool(4096, maxRetained: 4);

        pool.Invoking(p => p.Rent(4097)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Test]
    public void A_returned_block_is_reused_and_returning_it_twice_keeps_it_once()
    {
        using var pool = new LargeBlockMemoryPool(4096, maxRetained: 4);
        var first = pool.Rent();
        first.Memory.Span[0] = 42;

        first.Dispose();
        first.Dispose();

        pool.Retained.Should().Be(1);
        using var again = pool.Rent();
        again.Memory.Span[0].Should().Be(42, "the block came back from the free list, not a new allocation");
        pool.Retained.Should().Be(0);
        first.Invoking(b => b.Memory).Should().Throw<ObjectDisposedException>();
    }

    [Test]
    public void No_more_free_blocks_are_kept_than_the_bound()
    {
        using var pool = new LargeBlockMemoryPool(4096, maxRetained: 2);
        var blocks = Enumerable.Range(0, 5).Select(_ => pool.Rent()).ToList();

        blocks.ForEach(b => b.Dispose());

        pool.Retained.Should().Be(2, "the rest goes to the collector");
    }
}
