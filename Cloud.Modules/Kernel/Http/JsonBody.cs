using System.Text.Json;

namespace Cloud.Modules.Kernel.Http;

/// <summary>
/// The one reader of JSON request bodies for every API (Keystone, compute, glance): a body that is not JSON, or
/// whose strings or member names are not Unicode (a lone surrogate escape such as <c>"\ud800"</c>, bytes that are
/// not UTF-8), is a 400 with a message here, so no handler ever meets a string it cannot read.
/// </summary>
public static class JsonBody
{
    /// <summary>Deepest nesting accepted (System.Text.Json's default); deeper is a 400.</summary>
    public const int MaxDepth = 64;

    /// <summary>The parsed body. Every failure is <see cref="CloudException.Invalid"/> whose message starts with <paramref name="malformed"/>.</summary>
    /// <param name="body">The request body (its size is bounded by the server's request body limit).</param>
    /// <param name="malformed">The API's own words for a bad body (nova: <c>Malformed request body</c>).</param>
    /// <param name="cancellationToken">The request's.</param>
    public static async Task<JsonElement> ParseAsync(Stream body, string malformed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        JsonElement root;
        try
        {
            using var document = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = MaxDepth }, cancellationToken).ConfigureAwait(false);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw CloudException.Invalid($"{malformed}: {e.Message}");
        }
        if (FirstUnreadable(root, "$") is { } where)
        {
            throw CloudException.Invalid($"{malformed}: the string at {where} is not valid Unicode (a lone UTF-16 surrogate escape or bytes that are not UTF-8).");
        }
        return root;
    }

    /// <summary>The JSON path of the first string or member name that cannot be read as UTF-16, or null when all can.</summary>
    private static string? FirstUnreadable(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(() => element.GetString()) ? null : path;
            case JsonValueKind.Object:
                var index = 0;
                foreach (var property in element.EnumerateObject())
                {
                    string name = "";
                    if (!Readable(() => name = property.Name))
                    {
                        return $"{path} (member {index})";
                    }
                    if (FirstUnreadable(property.Value, $"{path}.{name}") is { } inner)
                    {
                        return inner;
                    }
                    index++;
                }
                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstUnreadable(item, $"{path}[{i++}]") is { } inner)
                    {
                        return inner;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static bool Readable(Action read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
