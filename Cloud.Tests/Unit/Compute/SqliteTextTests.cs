using System.Globalization;
using Cloud.Modules.Compute.Db;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Compute;

/// <summary>SQLite's DateTime text read digit by digit gives what DateTime.Parse gave (InstanceRow's dates).</summary>
public sealed class SqliteTextTests
{
    [TestCase("2026-12-07 05:26:28.2223425")]
    [TestCase("0001-01-01 00:00:00.0000000")]
    [TestCase("9999-12-31 23:59:59.9999999")]
    [TestCase("2024-02-29 12:00:00.0000001")]
    public void Text_of_the_stored_shape_is_the_value_parse_gives(string text)
    {
        SqliteText.TryParse(text, out var value).Should().BeTrue();
        var parsed = DateTime.Parse(text, CultureInfo.InvariantCulture);
        value.Should().Be(parsed);
        value.Ticks.Should().Be(parsed.Ticks);
        value.Kind.Should().Be(parsed.Kind);
    }

    [TestCase("2026-12-07 05:26:28")]
    [TestCase("2026-12-07 05:26:28.22")]
    [TestCase("2026-12-07T05:26:28.2223425")]
    [TestCase("2026-12-07 05:26:28.2223425Z")]
    [TestCase("2023-02-29 12:00:00.0000000")]
    [TestCase("2026-13-07 05:26:28.2223425")]
    [TestCase("2026-12-07 24:00:00.0000000")]
    [TestCase("2026-12-0x 05:26:28.2223425")]
    [TestCase("")]
    public void Any_other_text_is_left_to_the_general_parser(string text) =>
        SqliteText.TryParse(text, out _).Should().BeFalse();
}
