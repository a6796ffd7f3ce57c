using Cloud.Modules.Kernel;

namespace Cloud.Modules.Volume;

/// <summary>Checks of tenant input with Cinder's messages (400, "Invalid input received: …").</summary>
public static class VolumeInput
{
    /// <summary>Cinder's limit on names, descriptions, metadata keys and values.</summary>
    public const int MaxLength = 255;

    /// <summary>The volume type every volume has (Cinder's default type; no others exist).</summary>
    public const string DefaultType = "__DEFAULT__";

    public static void CheckSize(long? sizeGb)
    {
        if (sizeGb is not { } size || size < 1)
        {
            throw CloudException.Invalid($"Invalid input received: Volume size '{sizeGb?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ""}' must be an integer and greater than 0");
        }
    }

    /// <summary>A name or description: at most 255 characters (<paramref name="what"/> is "Name" or "Description").</summary>
    public static void CheckText(string? value, string what)
    {
        if (value is not null && value.Length > MaxLength)
        {
            throw CloudException.Invalid($"Invalid input received: {what} has more than {MaxLength} characters.");
        }
    }

    public static void CheckMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            if (string.IsNullOrEmpty(key))
            {
                throw CloudException.Invalid("Invalid metadata: Metadata property key blank.");
            }
            if (key.Length > MaxLength)
            {
                throw CloudException.Invalid($"Invalid metadata: Metadata property key greater than {MaxLength} characters.");
            }
            if (value is null || value.Length > MaxLength)
            {
                throw CloudException.Invalid($"Invalid metadata: Metadata property value greater than {MaxLength} characters.");
            }
        }
    }

    /// <summary>The type's name; only the default type exists (404 like Cinder's VolumeTypeNotFoundByName otherwise).</summary>
    public static string TypeOf(string? volumeType) =>
        volumeType is null || volumeType == DefaultType
            ? DefaultType
            : throw CloudException.NotFound($"Volume type with name {volumeType} could not be found.");
}
