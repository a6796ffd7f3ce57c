namespace Cloud.Modules.Glance.Db;

/// <summary>A row of <c>image_properties</c> (or of <c>image_tags</c>, without a name).</summary>
internal sealed class ImagePropertyRow
{
    public string ImageId { get; init; } = "";

    public string Name { get; init; } = "";

    public string Value { get; init; } = "";
}
