using System.Text.Json;
using Cloud.Modules.Swift.Proxy.Middleware.StaticWeb;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift;

/// <summary>staticweb's pages as swift 2.30 writes them: sizes, escaping and links.</summary>
public sealed class StaticWebListingPageTests
{
    [TestCase(0, "0")]
    [TestCase(1023, "1023")]
    [TestCase(1024, "1Ki")]
    [TestCase(1536, "2Ki")]
    [TestCase(2560, "2Ki")]
    [TestCase(1048576, "1Mi")]
    public void Sizes_are_human_readable_as_swift_rounds_them(long bytes, string expected) =>
        StaticWebListingPage.HumanReadable(bytes).Should().Be(expected);

    [Test]
    public void Names_are_quoted_in_links_and_escaped_in_text()
    {
        var listing = JsonDocument.Parse("""
            [{"subdir": "d/a b/"}, {"name": "d/<x>&'\".txt", "bytes": 2048, "content_type": "Text/Plain", "last_modified": "2026-12-07T01:02:03.456789"}]
            """).RootElement;

        var page = StaticWebListingPage.Listing("/v1/AUTH_t/c/d/", "d/", null, listing);

        page.Should().Contain("<a href=\"a%20b/\">a b/</a>")
            .And.Contain("<tr class=\"item type-text type-plain\">")
            .And.Contain("<a href=\"%3Cx%3E%26%27%22.txt\">&lt;x&gt;&amp;&#x27;&quot;.txt</a>")
            .And.Contain("<td class=\"colsize\">2Ki</td>")
            .And.Contain("<td class=\"coldate\">2026-12-07 01:02:03</td>")
            .And.Contain("<a href=\"../\">../</a>");
    }

    [Test]
    public void A_relative_stylesheet_climbs_out_of_the_listed_directory()
    {
        var page = StaticWebListingPage.Listing("/v1/AUTH_t/c/a/b/", "a/b/", "style.css", JsonDocument.Parse("[]").RootElement);
        page.Should().Contain("href=\"../../style.css\"").And.NotContain("<style");
    }
}
