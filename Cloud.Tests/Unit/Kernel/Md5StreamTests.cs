using System.Security.Cryptography;
using Cloud.Modules.Kernel.Crypto;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

[TestFixture]
public class Md5StreamTests
{
    private static readonly int[] Sizes = [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 4095, 65_537, 1_048_576 + 13, 3 * 1_048_576];

    [Test]
    public async Task Every_size_in_random_pieces_hashes_as_MD5_does()
    {
        var random = new Random(19);
        foreach (var size in Sizes)
        {
            var data = new byte[size];
            random.NextBytes(data);
            (await HashInPiecesAsync(data, random.Next(), new Md5Combiner())).Should().Be(Expected(data), $"size {size}");
        }
    }

    [Test]
    public async Task Concurrent_streams_hashed_together_each_get_their_own_MD5()
    {
        var combiner = new Md5Combiner();
        var messages = Enumerable.Range(0, 12).Select(i =>
        {
            var data = new byte[(i * 97_531) % 2_500_000 + i];
            new Random(i).NextBytes(data);
            return data;
        }).ToArray();
        var hashes = await Task.WhenAll(messages.Select((data, i) => Task.Run(() => HashInPiecesAsync(data, i, combiner))));
        hashes.Should().Equal(messages.Select(Expected));
    }

    [Test]
    public async Task Whole_blocks_appended_before_the_last_ended_are_hashed_in_order()
    {
        var combiner = new Md5Combiner();
        var messages = Enumerable.Range(0, 6).Select(i =>
        {
            var data = new byte[64 * 1024 * (8 + i) + 13 * i];
            new Random(100 + i).NextBytes(data);
            return data;
        }).ToArray();
        var hashes = await Task.WhenAll(messages.Select(data => Task.Run(async () =>
        {
            using var md5 = new Md5Stream(combiner);
            var inFlight = new List<Task>();
            for (var offset = 0; offset < data.Length; offset += 64 * 1024)
            {
                // Not awaited: the next piece goes in while this one may still be hashed, as the object server's writer does.
                inFlight.Add(md5.AppendAsync(data.AsMemory(offset, Math.Min(64 * 1024, data.Length - offset))));
            }
            await Task.WhenAll(inFlight);
            return md5.Finish();
        })));
        hashes.Should().Equal(messages.Select(Expected));
    }

    [Test]
    public void Lanes_match_the_scalar_rounds_for_every_lane_count()
    {
        Assume.That(Md5Rounds.LanesSupported, "no AVX-512VL here");
        var random = new Random(5);
        for (var lanes = 1; lanes <= Md5Rounds.MaxLanes; lanes++)
        {
            var blocks = 1 + random.Next(40);
            var data = Enumerable.Range(0, lanes).Select(_ => { var b = new byte[64 * blocks]; random.NextBytes(b); return b; }).ToArray();
            var states = Enumerable.Range(0, 4 * lanes).Select(_ => (uint)random.Next()).ToArray();
            var expected = (uint[])states.Clone();
            for (var i = 0; i < lanes; i++)
            {
                Md5Rounds.Scalar(expected.AsSpan(4 * i, 4), data[i], blocks);
            }
            Md5Rounds.LanesOf(states, data.Select(d => (ReadOnlyMemory<byte>)d).ToList(), blocks);
            states.Should().Equal(expected, $"{lanes} lanes");
        }
    }

    private static async Task<string> HashInPiecesAsync(byte[] data, int seed, Md5Combiner combiner)
    {
        var random = new Random(seed);
        using var md5 = new Md5Stream(combiner);
        var offset = 0;
        while (offset < data.Length)
        {
            // Odd pieces, some under a block, some many blocks with a partial one at each end.
            var piece = Math.Min(data.Length - offset, random.Next(4) == 0 ? random.Next(1, 70) : random.Next(1, 300_000));
            await md5.AppendAsync(data.AsMemory(offset, piece));
            offset += piece;
        }
        return md5.Finish();
    }

    private static string Expected(byte[] data) => Convert.ToHexStringLower(MD5.HashData(data));
}
