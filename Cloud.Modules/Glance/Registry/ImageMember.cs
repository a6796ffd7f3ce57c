namespace Cloud.Modules.Glance.Registry;

/// <summary>A project an image is shared with (a row of <c>image_members</c>).</summary>
public sealed class ImageMember
{
    public string ImageId { get; init; } = "";

    /// <summary>The member project's id.</summary>
    public string Member { get; init; } = "";

    /// <summary>One of <see cref="MemberStatus"/>.</summary>
    public string Status { get; init; } = MemberStatus.Pending;

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }
}
