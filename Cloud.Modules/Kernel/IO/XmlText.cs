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

    /// <summary>The document (with its declaration, unindented), its text and attribute values made <see cref="Safe"/> first.</summary>
    public static string Serialize(XDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        foreach (var text in document.DescendantNodes().OfType<XText>().ToList())
        {
            text.Value = Safe(text.Value);
        }
        foreach (var attribute in document.Descendants().Attributes().ToList())
        {
            attribute.Value = Safe(attribute.Value);
        }
        return document.Declaration + document.ToString(SaveOptions.DisableFormatting);
    }
}
