using Cloud.Modules.Kernel.IO;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

public sealed class XmlTextTests
{
    [Test]
    public void Text_xml_can_carry_is_returned_as_it_is()
    {
        const string text = "web1 \U0001F600 ü";

        XmlText.Safe(text).Should().BeSameAs(text);
    }

    [Test]
    public void Characters_xml_cannot_carry_become_the_replacement_character()
    {
        // Built in code: a lone surrogate does not survive an attribute's metadata.
        var lone = ((char)0xD800).ToString();
        var low = ((char)0xDC00).ToString();

        XmlText.Safe("a\0b").Should().Be("a\uFFFDb");
        XmlText.Safe("\u0001\U0001F600" + lone + "x").Should().Be("\uFFFD\U0001F600\uFFFDx");
        XmlText.Safe("x" + low).Should().Be("x\uFFFD");
    }
}
