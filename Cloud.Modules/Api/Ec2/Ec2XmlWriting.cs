using System.Buffers;
using System.Globalization;
using System.Xml;
using XmlText = Cloud.Modules.Kernel.IO.XmlText;

namespace Cloud.Modules.Api.Ec2;

/// <summary>
/// Writes EC2's XML to an <see cref="XmlWriter"/> with the bytes <see cref="Ec2Xml"/>'s trees serialize to: an element
/// given a string (an empty one too) ends with a full end tag, one with no content self-closes (<c>&lt;x /&gt;</c>), an
/// empty set self-closes, and every stored string goes through <see cref="XmlText.Safe"/> as the tree's values did.
/// </summary>
public static class Ec2XmlWriting
{
    /// <summary>The declaration every answer starts with (XDeclaration("1.0", "UTF-8", null) as text).</summary>
    public const string Declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

    private static readonly string Ns = Ec2Xml.Ns.NamespaceName;

    /// <summary>The whole answer: declaration, <c>{Action}Response</c>, its requestId, then the answer's content.</summary>
    public static void Write(IBufferWriter<byte> output, string requestId, Ec2Written answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        XmlText.WriteUtf8(output, Declaration, writer =>
        {
            writer.WriteStartElement(answer.Action + "Response", Ns);
            Text(writer, "requestId", requestId);
            answer.Content(writer);
            writer.WriteEndElement();
        });
    }

    /// <summary><c>&lt;name&gt;value&lt;/name&gt;</c>.</summary>
    public static void Text(XmlWriter writer, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartElement(name, Ns);
        writer.WriteString(XmlText.Safe(value));
        writer.WriteFullEndElement();
    }

    /// <summary><c>&lt;name&gt;value&lt;/name&gt;</c> for a number, as XElement formats it.</summary>
    public static void Number(XmlWriter writer, string name, long value) => Text(writer, name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary><c>&lt;name /&gt;</c>.</summary>
    public static void Empty(XmlWriter writer, string name)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartElement(name, Ns);
        writer.WriteEndElement();
    }

    /// <summary>An element holding elements: <c>&lt;name&gt;</c>, what <paramref name="content"/> writes, its end.</summary>
    public static void Element<T>(XmlWriter writer, string name, T value, Action<XmlWriter, T> content)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(content);
        writer.WriteStartElement(name, Ns);
        content(writer, value);
        writer.WriteEndElement();
    }

    /// <summary>A list as EC2 writes one: <c>&lt;name&gt;&lt;item&gt;...&lt;/item&gt;...&lt;/name&gt;</c>, <c>&lt;name /&gt;</c> when empty.</summary>
    public static void Set<T>(XmlWriter writer, string name, IEnumerable<T> items, Action<XmlWriter, T> item)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(item);
        writer.WriteStartElement(name, Ns);
        foreach (var value in items)
        {
            Element(writer, "item", value, item);
        }
        writer.WriteEndElement();
    }
}
