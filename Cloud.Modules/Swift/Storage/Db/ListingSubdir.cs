using System.Text.Json;
using System.Xml;

namespace Cloud.Modules.Swift.Storage.Db;

/// <summary>A pseudo-directory of a delimited listing: everything sharing the prefix up to the delimiter.</summary>
internal sealed class ListingSubdir(string name) : IListingRow
{
    public string Name => name;

    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("subdir", name);
        json.WriteEndObject();
    }

    public void WriteXml(XmlWriter xml)
    {
        xml.WriteStartElement("subdir");
        xml.WriteAttributeString("name", name);
        xml.WriteElementString("name", name);
        xml.WriteEndElement();
    }
}
