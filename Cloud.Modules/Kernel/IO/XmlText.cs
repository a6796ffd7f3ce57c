using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Cloud.Modules.Kernel.IO;

/// <summary>
/// Text for XML 1.0 answers. Tenants' stored strings may hold characters XML cannot carry (NUL and other control
/// characters, lone surrogates); written as they are they make XmlWriter throw (a 500) or the answer unparsable.
/// Each such character becomes U+FFFD, so the answer is always well-formed.
/// </summary>
public static class XmlText
{
    /// <summary><paramref name="text"/> with every character XML cannot carry replaced by U+FFFD (itself when there is none).</summary>
    public static string Safe(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = (StringBuilder?)null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (!pair && !XmlConvert.IsXmlChar(c))
            {
                // The first bad character: copy what came before, then build the rest.
                builder ??= new StringBuilder(text.Length).Append(text, 0, i);
                builder.Append('\uFFFD');
                continue;
            }
            builder?.Append(c);
            if (pair)
            {
                i++;
                builder?.Append(text[i]);
            }
        }
        return builder?.ToString() ?? text;
    }

    /// <summary>
    /// The document (with its declaration, unindented), its text and attribute values made <see cref="Safe"/> first.
    /// A value is replaced only when it changes, and an element's simple content is read as the string it holds:
    /// walking <c>DescendantNodes()</c> turned every element's text into a new <see cref="XText"/> node and set it back,
    /// which allocated a node per value of a large answer (DescribeInstances with 1,000 instances: about 30,000).
    /// </summary>
    public static string Serialize(XDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        foreach (var element in document.Descendants())
        {
            if (!element.HasElements)
            {
                var value = element.Value;
                var safe = Safe(value);
                if (!ReferenceEquals(safe, value))
                {
                    element.Value = safe;
                }
            }
            else
            {
                // Mixed content: its text is held as nodes already.
                foreach (var text in element.Nodes().OfType<XText>())
                {
                    var safe = Safe(text.Value);
                    if (!ReferenceEquals(safe, text.Value))
                    {
                        text.Value = safe;
                    }
                }
            }
            foreach (var attribute in element.Attributes())
            {
                var safe = Safe(attribute.Value);
                if (!ReferenceEquals(safe, attribute.Value))
                {
                    attribute.Value = safe;
                }
            }
        }
        return document.Declaration + document.ToString(SaveOptions.DisableFormatting);
    }
}
