using System.Security.Cryptography;
using Cloud.Modules.Glance.Streaming;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Glance;

/// <summary>The fan-out that hashes and copies image bytes on tasks of their own.</summary>
public sealed class ParallelSinksTests
{
    [Test]
    public async Task Every_sink_sees_all_the_bytes_in_order_and_completes()
    {
        var data = RandomNumberGenerator.GetBytes(3_000_001);
        using var md5 = new HashSink(HashAlgorithmName.MD5);
        using var sha = new HashSink(HashAlgorithmName.SHA512);
        var copy = new CollectingSink();
        await using var sinks = new ParallelSinks([md5, sha, copy], depth: 2);

        for (var offset = 0; offset < data.Length; offset += 70_000)
        {
            await sinks.WriteAsync(data.AsMemory(offset, Math.Min(70_000, data.Length - offset)), default);
        }
        await sinks.CompleteAsync();

        md5.Hex.Should().Be(Convert.ToHexStringLower(MD5.HashData(data)));
        sha.Hex.Should().Be(Convert.ToHexStringLower(SHA512.HashData(data)));
        copy.Bytes.ToArray().Should().Equal(data);
        copy.Completed.Should().BeTrue();
    }

    [Test]
    public async Task A_failing_sink_fails_the_completion_and_abandoned_data_completes_no_sink()
    {
        var copy = new CollectingSink();
        await using (var failing = new ParallelSinks([new FailingSink(), copy]))
        {
            await failing.WriteAsync(new byte[10], default);
            await FluentActions.Awaiting(failing.CompleteAsync).Should().ThrowAsync<IOException>();
        }

        var abandoned = new CollectingSink();
        await using (var sinks = new ParallelSinks([abandoned]))
        {
            await sinks.WriteAsync(new byte[10], default);
        }
        abandoned.Completed.Should().BeFalse();
    }

    private sealed class CollectingSink : IChunkSink
    {
        public MemoryStream Bytes { get; } = new();

        public bool Completed { get; private set; }

        public void Write(ReadOnlySpan<byte> data) => Bytes.Write(data);

        public void Complete() => Completed = true;
    }

    private sealed class FailingSink : IChunkSink
    {
        public void Write(ReadOnlySpan<byte> data) => throw new IOException("disk full");

        public void Complete()
        {
        }
    }
}
