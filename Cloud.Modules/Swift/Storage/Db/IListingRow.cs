using System.Text.Json;
using System.Xml;

namespace Cloud.Modules.Swift.Storage.Db;

/// <summary>One entry of a container or account listing, able to render itself in each listing format.</summary>
internal interface IListingRow
{
    /// <summary>The name listed (object, container or subdir); also what plain listings print.</summary>
    string Name { get; }

    void WriteJson(Utf8JsonWriter json);

    void WriteXml(XmlWriter xml);
}
