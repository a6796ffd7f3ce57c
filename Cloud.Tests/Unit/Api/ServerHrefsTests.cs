using System.Buffers;
using System.Text;
using System.Text.Json;
using Cloud.Modules.Api.OpenStack;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Api;

/// <summary>
/// <see cref="ServerHrefs"/> writes the same bytes as the writer writes the concatenated string, whatever the base
/// (the client's Host header) and the id (an image ref a tenant chose) hold: quotes, markup, non-ASCII, long ones.
/// </summary>
public sealed class ServerHrefsTests
{
    private static readonly JsonEncodedText Href = JsonEncodedText.Encode("href");

    private static readonly string[] Bases = ["http://127.0.0.1:8774", "http://exämple.test", "http://h\"<x>&'+`", "http://" + new string('a', 600), ""];

    private static readonly string[] Ids = ["f86224da-b52d-433b-b7ae-c5c9768741b7", "1", "", "img\"<é>", "💥", "\u0001\\", new string('b', 1000), "\ud800"];

    [Test]
    public void Every_link_is_the_bytes_of_its_string([ValueSource(nameof(Bases))] string baseUrl)
    {
        var hrefs = new ServerHrefs(baseUrl);
        foreach (var id in Ids)
        {
            foreach (var path in new[] { "/v2.1/servers/", "/servers/", "/images/", "/flavors/" })
            {
                var direct = Json(writer => hrefs.Write(writer, Href, path, id));
                var asString = Json(writer => writer.WriteString(Href, baseUrl + path + id));

                direct.Should().Be(asString, $"base {baseUrl}, id {id}");
            }
        }
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            try
            {
                write(writer);
            }
            catch (ArgumentException e)
            {
                return "refused: " + e.GetType().Name;
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
