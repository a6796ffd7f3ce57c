using Cloud.Modules.Kernel.Http;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

public sealed class ByteRangeTests
{
    [TestCase("bytes=0-0", 0, 1)]
    [TestCase("bytes=3-", 3, 7)]
    [TestCase("bytes=-4", 6, 4)]
    [TestCase("bytes=-40", 0, 10)]
    [TestCase("bytes=5-99", 5, 5)]
    public void A_single_range_resolves_against_the_size(string header, long start, long length)
    {
        ByteRange.TryParse(header, 10, out var range).Should().BeTrue();

        range.Should().Be(new ByteRange(start, length));
    }

    [TestCase("bytes=10-")]
    [TestCase("bytes=-0")]
    public void A_range_outside_the_object_is_unsatisfiable(string header)
    {
        ByteRange.TryParse(header, 10, out var range).Should().BeTrue();

        range.Should().BeNull();
    }

    [TestCase(null)]
    [TestCase("items=0-1")]
    [TestCase("bytes=5-2")]
    [TestCase("bytes=a-b")]
    [TestCase("bytes=0-1,3-4")]
    public void A_range_we_do_not_handle_is_ignored(string? header) =>
        ByteRange.TryParse(header, 10, out _).Should().BeFalse();
}
