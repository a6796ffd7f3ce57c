using System.Security.Cryptography;
using Cloud.Modules.Glance;
using Cloud.Modules.Kernel;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Glance;

public sealed class HashingUploadStreamTests
{
    [Test]
    public async Task Md5_and_sha512_are_computed_while_the_data_streams_through()
    {
        var data = RandomNumberGenerator.GetBytes(5_000_000);
        await using var hashing = new HashingUploadStream(new MemoryStream(data), data.Length, long.MaxValue);

        await hashing.CopyToAsync(Stream.Null);

        hashing.Count.Should().Be(data.Length);
        hashing.Md5Hex.Should().Be(Convert.ToHexStringLower(MD5.HashData(data)));
        hashing.Sha512Hex.Should().Be(Convert.ToHexStringLower(SHA512.HashData(data)));
    }

    [Test]
    public async Task A_size_other_than_the_declared_one_breaks_the_stream_with_400()
    {
        await using var hashing = new HashingUploadStream(new MemoryStream(new byte[10]), 11, long.MaxValue);

        await FluentActions.Awaiting(() => hashing.CopyToAsync(Stream.Null)).Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Invalid);
    }

    [Test]
    public async Task Data_beyond_the_cap_breaks_the_stream_with_413()
    {
        await using var hashing = new HashingUploadStream(new MemoryStream(new byte[1000]), null, 999);

        await FluentActions.Awaiting(() => hashing.CopyToAsync(Stream.Null)).Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.TooLarge);
    }
}
