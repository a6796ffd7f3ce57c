using System.Globalization;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Compute;

/// <summary>
/// nova's limits on what a server request carries (its API schema), checked before anything is written so a
/// tenant's oversized field is a 400 with a message, never a column overflow (a 500 on MariaDB's strict mode):
/// names, key names, zones, group names and metadata keys 1 to 255 characters, metadata values at most 255, user
/// data at most 65,535 base64 characters, and at most <see cref="MaxInstancesPerRequest"/> servers in one request.
/// </summary>
public static class ServerLimits
{
    /// <summary>The longest name, key name, zone, metadata key or value (nova's 255).</summary>
    public const int MaxLength = 255;

    /// <summary>The longest base64 user data (nova's 65,535).</summary>
    public const int MaxUserDataLength = 65535;

    /// <summary>
    /// The most servers one request may ask for (min_count and max_count), whatever the quotas say: with quotas
    /// off a count up to int.MaxValue would otherwise be one transaction of that many rows.
    /// </summary>
    public const int MaxInstancesPerRequest = 1000;

    /// <summary>Refuses a request whose counts or fields pass nova's limits.</summary>
    public static void Check(CreateInstancesRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.MinCount < 1 || request.MaxCount < request.MinCount)
        {
            throw CloudException.Invalid($"Invalid instance counts: min_count {request.MinCount} must be at least 1 and max_count {request.MaxCount} at least min_count.");
        }
        CheckCount("min_count", request.MinCount);
        CheckCount("max_count", request.MaxCount);
        if (request.DisplayName is not null)
        {
            CheckName(request.DisplayName);
        }
        CheckField("key_name", request.KeyName);
        CheckField("availability_zone", request.AvailabilityZone);
        foreach (var group in request.SecurityGroups)
        {
            CheckField("security_groups", group);
        }
        if (request.UserData is { Length: > MaxUserDataLength } userData)
        {
            throw CloudException.Invalid($"Invalid input for field/attribute user_data: {userData.Length} characters is longer than {MaxUserDataLength}.");
        }
        CheckMetadata(request.Metadata);
    }

    /// <summary>A count that may be passed as any long by the API layer.</summary>
    public static void CheckCount(string field, long count)
    {
        if (count > MaxInstancesPerRequest)
        {
            throw CloudException.Invalid($"Invalid input for field/attribute {field}: {count.ToString(CultureInfo.InvariantCulture)} is greater than the maximum of {MaxInstancesPerRequest}.");
        }
    }

    /// <summary>A server name: 1 to 255 printable characters, not only spaces.</summary>
    public static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length > MaxLength || name.Trim().Length == 0 || name.Any(char.IsControl))
        {
            throw CloudException.Invalid($"Invalid input for field/attribute name: a server name is 1 to {MaxLength} printable characters and not only spaces.");
        }
    }

    /// <summary>Metadata keys 1 to 255 characters, values at most 255.</summary>
    public static void CheckMetadata(IReadOnlyDictionary<string, string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var (key, value) in items)
        {
            if (key.Length is 0 or > MaxLength || value.Length > MaxLength)
            {
                throw CloudException.Invalid($"Invalid input for field/attribute metadata: keys must be 1 to {MaxLength} characters and values at most {MaxLength}.");
            }
        }
    }

    /// <summary>The name of instance <paramref name="index"/> (from 0) of <paramref name="count"/>: <c>name-N</c>, the name cut so it fits.</summary>
    public static string MultiInstanceName(string name, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (count == 1)
        {
            return name;
        }
        var suffix = "-" + (index + 1).ToString(CultureInfo.InvariantCulture);
        return name[..Math.Min(name.Length, MaxLength - suffix.Length)] + suffix;
    }

    private static void CheckField(string field, string? value)
    {
        if (value is not null && value.Length is 0 or > MaxLength)
        {
            throw CloudException.Invalid($"Invalid input for field/attribute {field}: 1 to {MaxLength} characters.");
        }
    }
}
