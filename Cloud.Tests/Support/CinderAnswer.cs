using System.Text.Json;

namespace Cloud.Tests.Support;

/// <summary>A Block Storage API answer: status, body and response headers.</summary>
public sealed record CinderAnswer(int Status, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public override string ToString() => $"{Status} {Body}";
}
