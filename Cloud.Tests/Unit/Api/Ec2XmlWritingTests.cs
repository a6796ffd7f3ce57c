using System.Buffers;
using System.Text;
using System.Xml.Linq;
using Cloud.Modules.Api.Ec2;
using FluentAssertions;
using NUnit.Framework;
using static Cloud.Modules.Api.Ec2.Ec2Xml;

namespace Cloud.Tests.Unit.Api;

/// <summary>EC2 answers written element by element have the bytes of the same answer built as an XDocument.</summary>
public sealed class Ec2XmlWritingTests
{
    [Test]
    public void A_written_answer_has_the_bytes_of_the_tree()
    {
        // Empty text, no content, an empty set, a set of items, a nested element, a number, and characters XML cannot carry.
        var tree = Response("DescribeThings", "req-1",
            Element("empty", ""),
            Element("none"),
            Set("noneSet", []),
            Set("thingSet", [[Element("id", "a<b&c>"), Element("count", 42)], [Element("id", "bad\u0001char\uD800")]]),
            Element("placement", Element("zone", "nova")));
        var expected = new ArrayBufferWriter<byte>();
        Cloud.Modules.Kernel.IO.XmlText.WriteUtf8(tree, expected);

        var written = new ArrayBufferWriter<byte>();
        Ec2XmlWriting.Write(written, "req-1", new Ec2Written("DescribeThings", w =>
        {
            Ec2XmlWriting.Text(w, "empty", "");
            Ec2XmlWriting.Empty(w, "none");
            Ec2XmlWriting.Set(w, "noneSet", Array.Empty<string>(), (_, _) => { });
            Ec2XmlWriting.Set(w, "thingSet", new[] { ("a<b&c>", (long?)42), ("bad\u0001char\uD800", null) }, (iw, thing) =>
            {
                Ec2XmlWriting.Text(iw, "id", thing.Item1);
                if (thing.Item2 is { } count)
                {
                    Ec2XmlWriting.Number(iw, "count", count);
                }
            });
            Ec2XmlWriting.Element(w, "placement", "nova", static (pw, zone) => Ec2XmlWriting.Text(pw, "zone", zone));
        }));

        Encoding.UTF8.GetString(written.WrittenSpan).Should().Be(Encoding.UTF8.GetString(expected.WrittenSpan));
        Encoding.UTF8.GetString(written.WrittenSpan).Should().Contain("<empty></empty><none /><noneSet />").And.Contain("bad\uFFFDchar\uFFFD");
    }
}
