using System.Globalization;
using System.Text.Json;
using System.Xml;

namespace Cloud.Modules.Swift.Storage.Db;

/// <summary>A live object row of a container database, as listed.</summary>
internal sealed class ContainerObjectRow : IListingRow
{
    public string Name { get; init; } = "";

    public string CreatedAt { get; init; } = "";

    public long Size { get; init; }

    public string ContentType { get; init; } = "";

    public string Etag { get; init; } = "";

    /// <summary>The row of <see cref="ContainerQueries.Listing"/>'s columns: name, created_at, size, content_type, etag.</summary>
    public static ContainerObjectRow Read(System.Data.Common.DbDataReader reader) => new()
    {
        Name = reader.GetString(0),
        CreatedAt = reader.GetString(1),
        Size = reader.GetInt64(2),
        ContentType = reader.GetString(3),
        Etag = reader.GetString(4),
    };

    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("name", Name);
        json.WriteString("hash", Etag);
        json.WriteNumber("bytes", Size);
        json.WriteString("content_type", ContentType);
        json.WriteString("last_modified", ContainerTimestamp.Iso(CreatedAt));
        json.WriteEndObject();
    }

    public void WriteXml(XmlWriter xml)
    {
        xml.WriteStartElement("object");
        xml.WriteElementString("name", Name);
        xml.WriteElementString("hash", Etag);
        xml.WriteElementString("bytes", Size.ToString(CultureInfo.InvariantCulture));
        xml.WriteElementString("content_type", ContentType);
        xml.WriteElementString("last_modified", ContainerTimestamp.Iso(CreatedAt));
        xml.WriteEndElement();
    }
}
