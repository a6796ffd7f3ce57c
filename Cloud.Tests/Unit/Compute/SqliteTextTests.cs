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
    [TestCase("2026-12-07 05:26:28")]
    [TestCase("2026-12-07 05:26:28.2")]
    [TestCase("2026-12-07 05:26:28.22")]
    [TestCase("2026-12-07 05:26:28.222342")]
    [TestCase("2026-12-07 05:26:28.000001")]
    [TestCase("2026-12-07 05:26:28.0000010")]
    [TestCase("2026-12-07 05:26:28.9")]
    public void Text_of_the_stored_shape_is_the_value_parse_gives(string text)
    {
        SqliteText.TryParse(text, out var value).Should().BeTrue();
        var parsed = DateTime.Parse(text, CultureInfo.InvariantCulture);
        value.Should().Be(parsed);
        value.Ticks.Should().Be(parsed.Ticks);
        value.Kind.Should().Be(parsed.Kind);
    }

    [TestCase("2026-12-07T05:26:28.2223425")]
    [TestCase("2026-12-07 05:26:28.")]
    [TestCase("2026-12-07 05:26:28.22234251")]
    [TestCase("2026-12-07 05:26:28.2x")]
    [TestCase("2026-12-07 05:26:28,22")]
    [TestCase("2026-12-07 05:26:28.-2")]
    [TestCase("2026-12-07 05:26:28.+2")]
    [TestCase("2026-12-07 05:26:28.٢")]
    [TestCase("2026-12-07 05:26:28 ")]
    [TestCase("2026-12-07 05:26")]
    [TestCase("2026-12-07")]
    [TestCase("2026-12-07 05:26:28.2223425Z")]
    [TestCase("2023-02-29 12:00:00.0000000")]
    [TestCase("2026-13-07 05:26:28.2223425")]
    [TestCase("2026-12-07 24:00:00.0000000")]
    [TestCase("2026-12-0x 05:26:28.2223425")]
    [TestCase("")]
    public void Any_other_text_is_left_to_the_general_parser(string text) =>
        SqliteText.TryParse(text, out _).Should().BeFalse();

    /// <summary>
    /// Every text the fast path takes gives exactly what DateTime.Parse gives, and it takes every stored shape: random
    /// dates written as Microsoft.Data.Sqlite writes them (trailing fraction zeros dropped), and those texts cut,
    /// padded or with one character replaced (hostile or odd text must either match Parse or be left to it).
    /// </summary>
    [Test]
    public void Random_and_mangled_texts_agree_with_parse_whenever_taken()
    {
        var random = new Random(19);
        const string Noise = "0123456789 .:-T+Z,x\u0660";
        var taken = 0;
        for (var n = 0; n < 20_000; n++)
        {
            var ticks = random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks);
            var unit = (long)Math.Pow(10, random.Next(8)); // whole seconds to 100 ns
            var date = new DateTime(ticks - (ticks % unit));
            var stored = date.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');
            SqliteText.TryParse(stored, out var value).Should().BeTrue(stored);
            value.Ticks.Should().Be(date.Ticks, stored);
            var mangled = random.Next(3) switch
            {
                0 => stored[..random.Next(stored.Length)],
                1 => stored + Noise[random.Next(Noise.Length)],
                _ => string.Concat(stored.AsSpan(0, random.Next(stored.Length)), Noise[random.Next(Noise.Length)].ToString(), stored.AsSpan(Math.Min(stored.Length, random.Next(stored.Length) + 1))),
            };
            foreach (var text in new[] { stored, mangled })
            {
                if (!SqliteText.TryParse(text, out var fast))
                {
                    continue;
                }
                taken++;
                var parsed = DateTime.Parse(text, CultureInfo.InvariantCulture);
                fast.Ticks.Should().Be(parsed.Ticks, text);
                fast.Kind.Should().Be(parsed.Kind, text);
            }
        }
        taken.Should().BeGreaterThan(20_000);
    }
}
