using System.Globalization;
using Cloud.Modules.Swift.Storage;
using Cloud.Modules.Swift.Storage.Db;
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

    [TestCase("1795917877.50000", "2026-11-29T02:04:37.500000")]
    [TestCase("0000000000.00000", "1970-01-01T00:00:00.000000")]
    [TestCase("0000000001.00001", "1970-01-01T00:00:01.000010")]
    [TestCase("1795917877.99999_000000000000000a", "2026-11-29T02:04:37.999990")]
    [TestCase("12.5", "1970-01-01T00:00:12.500000")]
    public void A_listing_shows_the_stored_time_to_the_microsecond(string stored, string iso) =>
        ContainerTimestamp.Iso(stored).Should().Be(iso);

    [Test]
    public void The_listing_form_is_what_the_date_format_gives_for_any_normalised_time()
    {
        var random = new Random(19);
        for (var i = 0; i < 2_000; i++)
        {
            var stored = $"{random.NextInt64(0, 9_999_999_999):D10}.{random.Next(0, 100_000):D5}";
            var reference = DateTime.UnixEpoch.AddTicks((long)(decimal.Parse(stored, CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond))
                .ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

            ContainerTimestamp.Iso(stored).Should().Be(reference, stored);
        }
    }
}
