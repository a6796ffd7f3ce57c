using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;
using Cloud.Modules.Kernel.IO;
using Cloud.Modules.Swift.Storage.Db;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Storage;

/// <summary>
/// Listings shared by the container server (objects) and the account server (containers): the window arithmetic of
/// prefix, marker and end_marker, the delimiter's subdirs, and the json/xml/plain bodies.
/// </summary>
internal static class ContainerListing
{
    /// <summary>The page the query asks for, read window by window from a container or account database.</summary>
    public static Task<List<IListingRow>> CollectAsync(ContainerListingQuery query, Microsoft.Data.Sqlite.SqliteConnection db, ListingSql sql) =>
        CollectAsync(query, async window =>
        {
            using var command = db.CreateCommand();
            command.CommandText = sql.For(window);
            command.Parameters.AddWithValue("@Lower", window.Lower);
            if (window.Upper is { } upper)
            {
                command.Parameters.AddWithValue("@Upper", upper);
            }
            command.Parameters.AddWithValue("@Limit", window.Limit);
            var rows = new List<IListingRow>(Math.Min(window.Limit, 1_000));
            using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                rows.Add(sql.Read(reader));
            }
            return rows;
        });

    /// <summary>The page the query asks for; <paramref name="fetch"/> reads one window of rows, in order.</summary>
    public static async Task<List<IListingRow>> CollectAsync(ContainerListingQuery query, Func<ContainerListingWindow, Task<IReadOnlyList<IListingRow>>> fetch)
    {
        // A marker is exclusive; the next string after it in byte order is the marker followed by NUL, which no name holds.
        var lowest = query.Reverse ? After(query.EndMarker) : After(query.Marker);
        var lower = Max(lowest, query.Prefix);
        var upper = Min(query.Reverse ? Empty(query.Marker) : Empty(query.EndMarker), PrefixEnd(query.Prefix));
        var results = new List<IListingRow>();
        while (results.Count < query.Limit)
        {
            var rows = await fetch(new ContainerListingWindow(lower, upper, query.Reverse, query.Limit - results.Count)).ConfigureAwait(false);
            if (rows.Count == 0)
            {
                break;
            }
            var skippedTo = false;
            foreach (var row in rows)
            {
                var dir = query.Delimiter is { } delimiter ? SubdirOf(row.Name, query.Prefix, delimiter) : null;
                if (dir is null)
                {
                    results.Add(row);
                    continue;
                }
                // A page may start right after a subdir the client saw last; it must not be listed twice. A path=
                // listing shows no subdirs at all.
                if (dir != query.Marker && !query.PathOnly)
                {
                    results.Add(new ListingSubdir(dir));
                }
                if (query.Reverse)
                {
                    upper = dir;
                }
                else if (PrefixEnd(dir) is { } next)
                {
                    lower = next;
                }
                else
                {
                    // Nothing sorts after a subdir ending in the last character.
                    return results;
                }
                skippedTo = true;
                break;
            }
            if (!skippedTo)
            {
                break;
            }
        }
        return results;
    }

    /// <summary>Writes the page: 204 for an empty plain listing, 200 otherwise.</summary>
    public static async Task WriteAsync(HttpContext context, ContainerListingQuery query, string rootElement, string rootName, List<IListingRow> rows)
    {
        var response = context.Response;
        if (query.Format == "json")
        {
            response.ContentType = "application/json; charset=utf-8";
            using var json = Json(rows);
            await WriteBodyAsync(context, json.Written).ConfigureAwait(false);
            return;
        }
        byte[] body;
        if (query.Format == "xml")
        {
            response.ContentType = "application/xml; charset=utf-8";
            body = Xml(rows, rootElement, rootName);
        }
        else
        {
            if (rows.Count == 0)
            {
                response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
            response.ContentType = "text/plain; charset=utf-8";
            body = Encoding.UTF8.GetBytes(string.Concat(rows.Select(r => r.Name + "\n")));
        }
        await WriteBodyAsync(context, body).ConfigureAwait(false);
    }

    private static async Task WriteBodyAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    // The caller returns the buffer to the pool once the body is sent.
    private static PooledBufferWriter Json(List<IListingRow> rows)
    {
        var buffer = new PooledBufferWriter();
        // The body is application/json, never embedded in HTML, so &, < and non-ASCII names are written as they are.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                row.WriteJson(json);
            }
            json.WriteEndArray();
        }
        return buffer;
    }

    private static byte[] Xml(List<IListingRow> rows, string rootElement, string rootName)
    {
        using var buffer = new MemoryStream();
        // As swift's listing_formats (ElementTree): the declaration on its own line, and an account's entries one a
        // line with its subdirs as empty elements.
        buffer.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"u8);
        var account = rootElement == "account";
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true }))
        {
            xml.WriteStartElement(rootElement);
            xml.WriteAttributeString("name", rootName);
            if (account)
            {
                xml.WriteString("\n");
            }
            foreach (var row in rows)
            {
                if (account && row is ListingSubdir)
                {
                    xml.WriteStartElement("subdir");
                    xml.WriteAttributeString("name", row.Name);
                    xml.WriteEndElement();
                }
                else
                {
                    row.WriteXml(xml);
                }
                if (account)
                {
                    xml.WriteString("\n");
                }
            }
            xml.WriteEndElement();
        }
        return buffer.ToArray();
    }

    private static string? SubdirOf(string name, string prefix, string delimiter)
    {
        var at = name.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
        return at < 0 ? null : name[..(at + delimiter.Length)];
    }

    private static string After(string marker) => marker.Length == 0 ? "" : marker + "\0";

    private static string? Empty(string text) => text.Length == 0 ? null : text;

    // The first string after every name starting with the prefix; none when the prefix ends in the last char.
    private static string? PrefixEnd(string prefix) =>
        prefix.Length == 0 || prefix[^1] == char.MaxValue ? null : prefix[..^1] + (char)(prefix[^1] + 1);

    private static string Max(string a, string b) => string.CompareOrdinal(a, b) >= 0 ? a : b;

    private static string? Min(string? a, string? b) =>
        a is null ? b : b is null ? a : string.CompareOrdinal(a, b) <= 0 ? a : b;
}
