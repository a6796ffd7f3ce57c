namespace Cloud.Modules.Compute;

/// <summary>The reply to <see cref="SelectDestination"/>.</summary>
/// <param name="Host">The chosen and claimed host, or null when none fits.</param>
public sealed record SelectedDestination(string? Host);
