using System.Text.Json;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// The scheduler hints beside <c>server</c> in <c>POST /servers</c> (<c>os:scheduler_hints</c>, or its old name
/// <c>OS-SCH-HNT:scheduler_hints</c>). cloudd acts on <c>group</c>; nova's other hints name filters cloudd does not run and
/// are accepted and ignored, as nova ignores hints of filters it was not configured with.
/// </summary>
public static class SchedulerHintsJson
{
    /// <summary>The server group uuid of the hints, or null; a hint that is not a uuid is nova's schema 400.</summary>
    public static string? Group(JsonElement body)
    {
        if (!body.TryGetProperty("os:scheduler_hints", out var hints) && !body.TryGetProperty("OS-SCH-HNT:scheduler_hints", out hints))
        {
            return null;
        }
        if (hints.ValueKind != JsonValueKind.Object)
        {
            throw CloudException.Invalid($"Invalid input for field/attribute os:scheduler_hints. Value: {hints.GetRawText()}. {hints.GetRawText()} is not of type 'object'");
        }
        if (!hints.TryGetProperty("group", out var group) || group.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        var text = group.ValueKind == JsonValueKind.String ? group.GetString()! : group.GetRawText();
        return group.ValueKind == JsonValueKind.String && Guid.TryParse(text, out _)
            ? text
            : throw CloudException.Invalid($"Invalid input for field/attribute group. Value: {text}. '{text}' is not a 'uuid'");
    }
}
