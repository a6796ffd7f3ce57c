using System.Text.Json;

namespace Cloud.Tests.Support;

/// <summary>One request of a <see cref="FaultLoad"/> and how it ended.</summary>
/// <param name="Request">What it was: token, create, show, delete.</param>
/// <param name="At">When it was sent, seconds after the load started.</param>
/// <param name="Seconds">How long its answer took.</param>
/// <param name="Status">The HTTP status, 0 when there was no answer.</param>
/// <param name="Body">The start of the answer's body.</param>
/// <param name="Problem">Why it did not end cleanly, or empty when it did (succeeded, or failed with a 4xx or a 503 that says why).</param>
public sealed record FaultOutcome(string Request, double At, double Seconds, int Status, string Body, string Problem)
{
    /// <summary>The problem's prefix when the process did not take the connection (it was killed): clean only while it is down.</summary>
    public const string Unreachable = "unreachable: ";

    public bool Clean => Problem.Length == 0;

    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>When its answer came, seconds after the load started.</summary>
    public double AnsweredAt => At + Seconds;

    public static FaultOutcome Of(string request, double at, double seconds, int status, string body) =>
        new(request, at, seconds, status, body.Length > 300 ? body[..300] : body, ProblemOf(status, body));

    private static string ProblemOf(int status, string body)
    {
        if (body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception:", StringComparison.Ordinal))
        {
            return "a stack trace in the body";
        }
        if (status is >= 200 and < 300)
        {
            return "";
        }
        if (status >= 500 && status != 503)
        {
            return $"{status}";
        }
        return HasMessage(body) ? "" : $"{status} without a message";
    }

    /// <summary>An error body that says something: nova's <c>{"badRequest": {"message": ...}}</c> shape, or Keystone's <c>{"error": {"message": ...}}</c>.</summary>
    private static bool HasMessage(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.EnumerateObject().Any(p =>
                p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("message", out var m) && m.GetString() is { Length: > 0 });
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public override string ToString() => $"{Request} at {At:0.0}s ({Seconds:0.0}s): {Status} {Problem} {Body}";
}
