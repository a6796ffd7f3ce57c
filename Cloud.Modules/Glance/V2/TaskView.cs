using System.Text.Json;
using Cloud.Modules.Glance.Tasks;

namespace Cloud.Modules.Glance.V2;

/// <summary>The v2 JSON of tasks: the full task (<c>/v2/tasks/{id}</c>), the stub of a list, and the rows of <c>/v2/images/{id}/tasks</c>.</summary>
public static class TaskView
{
    public static Dictionary<string, object?> Task(GlanceTask task)
    {
        var json = Stub(task);
        json["input"] = Parse(task.Input);
        json["result"] = task.Result is null ? null : Parse(task.Result);
        json["message"] = task.Message;
        AddIfSet(json, "image_id", task.ImageId);
        AddIfSet(json, "request_id", task.RequestId);
        AddIfSet(json, "user_id", task.UserId);
        return json;
    }

    public static Dictionary<string, object?> Stub(GlanceTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var json = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = task.Id,
            ["type"] = task.Type,
            ["status"] = task.Status,
            ["owner"] = task.Owner,
            ["created_at"] = GlanceJson.Timestamp(task.CreatedAt),
            ["updated_at"] = GlanceJson.Timestamp(task.UpdatedAt),
            ["self"] = $"/v2/tasks/{task.Id}",
            ["schema"] = "/v2/schemas/task",
        };
        if (task.ExpiresAt is { } expires)
        {
            json["expires_at"] = GlanceJson.Timestamp(expires);
        }
        return json;
    }

    /// <summary>Glance answers <c>/v2/images/{id}/tasks</c> with its database rows, deleted flags included.</summary>
    public static Dictionary<string, object?> Row(GlanceTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = task.Id,
            ["type"] = task.Type,
            ["status"] = task.Status,
            ["owner"] = task.Owner,
            ["expires_at"] = task.ExpiresAt is { } e ? GlanceJson.Timestamp(e) : null,
            ["created_at"] = GlanceJson.Timestamp(task.CreatedAt),
            ["updated_at"] = GlanceJson.Timestamp(task.UpdatedAt),
            ["deleted_at"] = null,
            ["deleted"] = false,
            ["image_id"] = task.ImageId,
            ["request_id"] = task.RequestId,
            ["user_id"] = task.UserId,
            ["input"] = Parse(task.Input),
            ["result"] = task.Result is null ? null : Parse(task.Result),
            ["message"] = task.Message,
        };
    }

    private static void AddIfSet(Dictionary<string, object?> json, string key, string? value)
    {
        if (value is not null)
        {
            json[key] = value;
        }
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
