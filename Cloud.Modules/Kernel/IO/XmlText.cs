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
        if (IsSafe(text))
        {
            return text;
        }
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(XmlConvert.IsXmlChar(c) ? c : '\uFFFD');
            }
        }
        return builder.ToString();
    }

    private static bool IsSafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (!XmlConvert.IsXmlChar(c))
            {
                return false;
            }
        }
        return true;
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
