using System.Buffers;
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
        // Nearly every value is all in U+0020..U+D7FF, which XML carries: a vectorised scan finds the first character
        // outside it (a tab, a newline, a surrogate, a control character) and the loop below starts there.
        var start = text.AsSpan().IndexOfAnyExceptInRange('\u0020', '\uD7FF');
        if (start < 0)
        {
            return text;
        }
        var builder = (StringBuilder?)null;
        for (var i = start; i < text.Length; i++)
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
        MakeSafe(document);
        return document.Declaration + document.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>
    /// <see cref="Serialize"/>'s text as UTF-8 into <paramref name="output"/> (a response's PipeWriter, flushed by the
    /// caller): building the string of a large answer (DescribeInstances with 1,000 instances, 0.9 MB) and encoding it
    /// again cost a fifth of the request's CPU (perf: StringBuilder.ToString, the concatenation with the declaration,
    /// memmove).
    /// </summary>
    public static void WriteUtf8(XDocument document, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        MakeSafe(document);
        WriteUtf8(output, document.Declaration?.ToString(), writer =>
        {
            foreach (var node in document.Nodes())
            {
                node.WriteTo(writer);
            }
        });
    }

    /// <summary>
    /// <paramref name="declaration"/> (e.g. <c>&lt;?xml version="1.0" encoding="UTF-8"?&gt;</c>, or none), then what
    /// <paramref name="write"/> writes, as UTF-8 into <paramref name="output"/> with the settings XDocument's
    /// unformatted text uses: for answers written element by element without building a tree. Such a writer passes its
    /// stored strings through <see cref="Safe"/> itself.
    /// </summary>
    public static void WriteUtf8(IBufferWriter<byte> output, string? declaration, Action<XmlWriter> write)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(write);
        if (declaration is not null)
        {
            output.Write(Encoding.UTF8.GetBytes(declaration));
        }
        // As XDocument.ToString(SaveOptions.DisableFormatting) writes its nodes, to bytes instead of a StringWriter.
        using var stream = new BufferWriterStream(output);
        using var writer = XmlWriter.Create(stream, new XmlWriterSettings { OmitXmlDeclaration = true, Encoding = new UTF8Encoding(false) });
        write(writer);
    }

    private static void MakeSafe(XDocument document)
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
    }
}
