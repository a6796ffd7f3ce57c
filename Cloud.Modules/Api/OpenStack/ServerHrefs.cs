using System.Text;
using System.Text.Json;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// The links of a <c>/servers/detail</c> page (<c>{base}/v2.1/servers/{id}</c>, <c>{base}/servers/{id}</c>,
/// <c>{base}/images/{id}</c>, <c>{base}/flavors/{id}</c>), written as UTF-8 from prefixes encoded once per page.
/// Built as strings, four per server, then transcoded by the writer, they were a third of the page's JSON writing
/// (perf, 1,000 servers). Only ASCII is copied byte for byte (the writer escapes it as it escapes the same string);
/// a base or id with anything else is written as the string it always was, so the bytes never differ.
/// </summary>
internal sealed class ServerHrefs
{
    private readonly string baseUrl;
    private readonly byte[]? asciiBase;
    private byte[] scratch = new byte[256];

    public ServerHrefs(string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        this.baseUrl = baseUrl;
        asciiBase = Ascii.IsValid(baseUrl) ? Encoding.ASCII.GetBytes(baseUrl) : null;
    }

    /// <summary>Writes <paramref name="name"/>: <c>{base}{path}{id}</c>, <paramref name="path"/> being ASCII such as <c>/servers/</c>.</summary>
    public void Write(Utf8JsonWriter writer, JsonEncodedText name, string path, string id)
    {
        if (asciiBase is null || !Ascii.IsValid(id))
        {
            writer.WriteString(name, string.Concat(baseUrl, path, id));
            return;
        }
        var length = asciiBase.Length + path.Length + id.Length;
        if (scratch.Length < length)
        {
            scratch = new byte[length];
        }
        asciiBase.CopyTo(scratch, 0);
        var written = asciiBase.Length;
        written += Encoding.ASCII.GetBytes(path, scratch.AsSpan(written));
        written += Encoding.ASCII.GetBytes(id, scratch.AsSpan(written));
        writer.WriteString(name, scratch.AsSpan(0, written));
    }
}
