using System.Buffers;
using System.Text;
using System.Xml.Linq;
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

    [Test]
    public void The_utf8_answer_is_the_serialised_text_encoded()
    {
        XNamespace ns = "http://ec2.amazonaws.com/doc/2016-11-15/";
        XDocument Document() => new(new XDeclaration("1.0", "UTF-8", null), new XElement(ns + "DescribeInstancesResponse",
            new XElement(ns + "requestId", "req-1"),
            new XElement(ns + "item", new XAttribute("kind", "a\u0001<b>&\"c\""), "tab\there\r\nline", new XElement(ns + "name", "web \U0001F600 ü \0 & <x>")),
            new XElement(ns + "empty"),
            new XElement("plain", new XText("mixed "), new XElement("b", "bold"), new XText(" \u0002tail"))));

        var utf8 = new ArrayBufferWriter<byte>(16);
        XmlText.WriteUtf8(Document(), utf8);

        Encoding.UTF8.GetString(utf8.WrittenSpan).Should().Be(XmlText.Serialize(Document()));
        utf8.WrittenSpan.ToArray().Should().Equal(Encoding.UTF8.GetBytes(XmlText.Serialize(Document())), "no byte order mark either");
    }
}
