using Cloud.Modules.Swift.Proxy;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift;

/// <summary>The Content-Type guessed for an object without one, as Python's mimetypes.guess_type (Swift's proxy) gives it.</summary>
public sealed class SwiftContentTypesTests
{
    [TestCase("page.html", "text/html")]
    [TestCase("a.json", "application/json")]
    [TestCase("a.tar.gz", "application/x-tar")]
    [TestCase("a.tgz", "application/x-tar")]
    [TestCase("notes.TXT", "text/plain")]
    [TestCase("dir.d/noext", "application/octet-stream")]
    [TestCase(".bashrc", "application/octet-stream")]
    [TestCase("x.gz", "application/octet-stream")]
    public void Guesses_from_python_s_table(string name, string expected) =>
        SwiftContentTypes.Guess(name, SwiftContentTypes.Load([])).Should().Be(expected);

    [Test]
    public void A_mime_types_file_overrides_the_built_in_table_and_adds_to_it()
    {
        var types = SwiftContentTypes.Load(["# comment", "application/x-swiftdiff  sdf json  # trailing", "", "text/x-own own"]);
        SwiftContentTypes.Guess("a.json", types).Should().Be("application/x-swiftdiff");
        SwiftContentTypes.Guess("b.own", types).Should().Be("text/x-own");
        SwiftContentTypes.Guess("c.html", types).Should().Be("text/html");
    }
}
