using Cloud.Modules.Swift.Storage;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Storage;

public sealed class SwiftTimestampTests
{
    [TestCase("1700000000", "1700000000.00000")]
    [TestCase("1700000000.123456", "1700000000.12346")]
    [TestCase("12.5", "0000000012.50000")]
    [TestCase(" 1700000000.1 ", "1700000000.10000")]
    public void A_timestamp_is_normalised_to_five_decimals_and_sixteen_characters(string raw, string normal)
    {
        SwiftTimestamp.TryNormalize(raw, out var result).Should().BeTrue();

        result.Should().Be(normal);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("-1")]
    [TestCase("1e9")]
    [TestCase("now")]
    [TestCase("10000000000")]
    public void Anything_else_is_not_a_timestamp(string? raw) =>
        SwiftTimestamp.TryNormalize(raw, out _).Should().BeFalse();

    [Test]
    public void Last_modified_rounds_up_to_the_second() =>
        SwiftTimestamp.ToHttpDate("1700000000.00001").Should().Be("Tue, 14 Nov 2023 22:13:21 GMT");
}
