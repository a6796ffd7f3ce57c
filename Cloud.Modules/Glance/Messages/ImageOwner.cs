namespace Cloud.Modules.Glance;

/// <summary>The user and project an image reader reads an image for: glance judges their rights, not the reader's.</summary>
/// <param name="UserId">The owner's user id (an instance's or a volume's).</param>
/// <param name="ProjectId">The owner's project id.</param>
public sealed record ImageOwner(string UserId, string ProjectId);
