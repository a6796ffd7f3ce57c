using System.Text.Json;
using Cloud.Modules.Kernel.IO;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Storage;

public sealed class PooledBufferWriterTests
{
    [Test]
    public void Writes_past_the_first_array_keep_every_byte_in_order()
    {
        using var buffer = new PooledBufferWriter();
        var expected = new List<byte>();
        // 300 KB in uneven pieces: the buffer grows several times while a writer holds spans of it.
        for (var i = 0; i < 3_000; i++)
        {
            var piece = Enumerable.Range(0, 100 + (i % 7)).Select(b => (byte)((i + b) % 251)).ToArray();
            piece.CopyTo(buffer.GetSpan(piece.Length));
            buffer.Advance(piece.Length);
            expected.AddRange(piece);
        }

        buffer.Length.Should().Be(expected.Count);
        buffer.Written.ToArray().Should().Equal(expected);
    }

    [Test]
    public void A_json_writer_on_it_produces_the_same_document_as_on_a_stream()
    {
        using var buffer = new PooledBufferWriter();
        using var stream = new MemoryStream();
        void Write(Utf8JsonWriter json)
        {
            json.WriteStartArray();
            for (var i = 0; i < 5_000; i++)
            {
                json.WriteStartObject();
                json.WriteString("name", $"object-{i:D6}");
                json.WriteNumber("bytes", i);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json);
        }
        using (var json = new Utf8JsonWriter(stream))
        {
            Write(json);
        }

        buffer.Written.ToArray().Should().Equal(stream.ToArray());
    }

    [Test]
    public void Advancing_past_what_was_asked_for_is_refused()
    {
        using var buffer = new PooledBufferWriter();
        var free = buffer.GetSpan(10).Length;

        FluentActions.Invoking(() => buffer.Advance(free + 1)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
