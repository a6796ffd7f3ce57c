using System.Xml.Linq;

namespace Cloud.Modules.Api.Ec2;

/// <summary>EC2 Query API responses: <c>&lt;ActionResponse xmlns=...&gt;&lt;requestId/&gt;...</c>, lowerCamel members, <c>item</c> lists.</summary>
public static class Ec2Xml
{
    public static readonly XNamespace Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    public static XDocument Response(string action, string requestId, params object[] content) =>
        new(new XDeclaration("1.0", "UTF-8", null),
            new XElement(Ns + $"{action}Response", new XElement(Ns + "requestId", requestId), content));

    public static XElement Element(string name, params object?[] content) => new(Ns + name, content);

    public static XElement Set(string name, IEnumerable<IEnumerable<XElement>> items) =>
        new(Ns + name, items.Select(fields => new XElement(Ns + "item", fields)));
}
