namespace Cloud.Modules.Compute;

/// <summary>One key of an instance list's order: nova's sort key name (<c>display_name</c>, <c>created_at</c> ...) and its direction.</summary>
public sealed record InstanceSortKey(string Key, bool Descending);
