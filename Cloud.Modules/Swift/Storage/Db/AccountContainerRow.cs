using System.Globalization;
using System.Text.Json;
using System.Xml;

namespace Cloud.Modules.Swift.Storage.Db;

/// <summary>A live container row of an account database, as listed.</summary>
internal sealed class AccountContainerRow : IListingRow
{
    public string Name { get; init; } = "";

    public string PutTimestamp { get; init; } = "";

    public long ObjectCount { get; init; }

    public long BytesUsed { get; init; }

    /// <summary>The row of <see cref="AccountQueries.Listing"/>'s columns: name, put_timestamp, object_count, bytes_used.</summary>
    public static AccountContainerRow Read(System.Data.Common.DbDataReader reader) => new()
    {
        Name = reader.GetString(0),
        PutTimestamp = reader.GetString(1),
        ObjectCount = reader.GetInt64(2),
        BytesUsed = reader.GetInt64(3),
    };

    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("name", Name);
        json.WriteNumber("count", ObjectCount);
        json.WriteNumber("bytes", BytesUsed);
        json.WriteString("last_modified", ContainerTimestamp.Iso(PutTimestamp));
        json.WriteEndObject();
    }

    public void WriteXml(XmlWriter xml)
    {
        xml.WriteStartElement("container");
        xml.WriteElementString("name", Name);
        xml.WriteElementString("count", ObjectCount.ToString(CultureInfo.InvariantCulture));
        xml.WriteElementString("bytes", BytesUsed.ToString(CultureInfo.InvariantCulture));
        xml.WriteElementString("last_modified", ContainerTimestamp.Iso(PutTimestamp));
        xml.WriteEndElement();
    }
}
