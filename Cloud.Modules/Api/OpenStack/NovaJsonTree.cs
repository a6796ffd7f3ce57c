using System.Collections;
using System.Text.Json;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// Writes an answer built of dictionaries, lists, strings, numbers, booleans, <see cref="NovaLink"/>s and <see cref="NovaReference"/>s (nova's server
/// views) straight to a <see cref="Utf8JsonWriter"/>, exactly as <see cref="JsonSerializer"/> writes the same tree with
/// <see cref="NovaJson"/>'s options. The serialiser resolves a converter for the runtime type of every
/// <c>object</c>-typed value and walks a write stack for every nesting: on <c>/servers/detail</c> with 1,000 servers
/// (some 60 values each) that was the largest managed cost of the request (perf: the serialiser's dictionary and
/// collection converters 12 % of the process's samples, ResolvePolymorphicConverter and GetType among the top frames).
/// A value of any other type (an anonymous object) still goes through the serialiser, so the output never differs.
/// </summary>
public static class NovaJsonTree
{
    public static void Write(Utf8JsonWriter writer, object? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case NovaLink link:
                writer.WriteStartObject();
                writer.WriteString("rel", link.Rel);
                writer.WriteString("href", link.Href);
                writer.WriteEndObject();
                break;
            case NovaReference reference:
                writer.WriteStartObject();
                writer.WriteString("id", reference.Id);
                writer.WriteStartArray("links");
                Write(writer, reference.Links[0], options);
                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
            case IDictionary and IEnumerable<KeyValuePair<string, object?>> members:
                writer.WriteStartObject();
                foreach (var (name, member) in members)
                {
                    writer.WritePropertyName(name);
                    Write(writer, member, options);
                }
                writer.WriteEndObject();
                break;
            case IDictionary and IEnumerable<KeyValuePair<string, string>> strings:
                writer.WriteStartObject();
                foreach (var (name, member) in strings)
                {
                    writer.WriteString(name, member);
                }
                writer.WriteEndObject();
                break;
            case IDictionary { Keys: ICollection<string> } map:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    writer.WritePropertyName((string)entry.Key);
                    Write(writer, entry.Value, options);
                }
                writer.WriteEndObject();
                break;
            case IEnumerable items when value is not IDictionary:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    Write(writer, item, options);
                }
                writer.WriteEndArray();
                break;
            default:
                JsonSerializer.Serialize(writer, value, value.GetType(), options);
                break;
        }
    }
}
