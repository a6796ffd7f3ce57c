using System.Globalization;
using System.Text;
using System.Text.Json;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Glance.V1;

/// <summary>
/// The image API v1's metadata headers: <c>x-image-meta-&lt;attribute&gt;</c> and <c>x-image-meta-property-&lt;key&gt;</c>, read
/// from requests into the registry's terms and written onto responses as glance v1 wrote them (absent when null,
/// booleans as True/False). <c>is_public: true</c> is visibility public; anything else leaves an image shared, which
/// without members is as private as v1's private, and lets v1's members see it.
/// </summary>
public sealed class ImageMetaHeaders
{
    public const string Prefix = "x-image-meta-";
    public const string PropertyPrefix = "x-image-meta-property-";

    /// <summary>Attributes a client may send but only the server sets: accepted and ignored, as glance v1 did.</summary>
    private static readonly HashSet<string> ServerSet = new(StringComparer.Ordinal)
    {
        "status", "created_at", "updated_at", "deleted", "deleted_at", "virtual_size",
    };

    private static readonly HashSet<string> Settable = new(StringComparer.Ordinal)
    {
        "id", "name", "disk_format", "container_format", "size", "checksum", "is_public", "protected", "min_ram", "min_disk", "owner",
    };

    private ImageMetaHeaders()
    {
    }

    /// <summary>Attributes by lower-case name, as sent.</summary>
    public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);

    /// <summary>Properties by lower-case key (glance v1 lower-cased header names).</summary>
    public Dictionary<string, string> Properties { get; } = new(StringComparer.Ordinal);

    public string? Id => Attributes.GetValueOrDefault("id");

    /// <summary><c>x-image-meta-size</c>: what an upload must amount to.</summary>
    public long? Size => Attributes.TryGetValue("size", out var size) ? Integer("size", size) : null;

    /// <summary><c>x-image-meta-checksum</c>: the MD5 an upload must have.</summary>
    public string? Checksum => Attributes.GetValueOrDefault("checksum");

    /// <summary>Reads the metadata headers; an unknown attribute or an unsupported one (location, copy-from) is a 400.</summary>
    public static ImageMetaHeaders Read(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.ContainsKey("x-glance-api-copy-from") || headers.ContainsKey("x-image-meta-location"))
        {
            throw CloudException.Invalid("External image locations (x-image-meta-location, x-glance-api-copy-from) are not supported: send the data in the request body.");
        }
        var meta = new ImageMetaHeaders();
        foreach (var (name, value) in headers)
        {
            var key = name.ToLowerInvariant();
            if (key.StartsWith(PropertyPrefix, StringComparison.Ordinal))
            {
                meta.Properties[key[PropertyPrefix.Length..]] = value.ToString();
            }
            else if (key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                var attribute = key[Prefix.Length..];
                if (!Settable.Contains(attribute) && !ServerSet.Contains(attribute))
                {
                    throw CloudException.Invalid($"Unknown image attribute header '{name}'.");
                }
                if (Settable.Contains(attribute))
                {
                    meta.Attributes[attribute] = value.ToString();
                }
            }
        }
        return meta;
    }

    /// <summary>
    /// The base attributes to set, as the JSON values the registry's drafts take (<see cref="ImageDraft.Set"/>);
    /// <paramref name="current"/> is the image being updated (null on create).
    /// </summary>
    public IEnumerable<(string Attribute, JsonElement Value)> Changes(Image? current)
    {
        foreach (var (attribute, value) in Attributes)
        {
            switch (attribute)
            {
                case "name" or "disk_format" or "container_format" or "owner":
                    yield return (attribute, JsonSerializer.SerializeToElement(value));
                    break;
                case "min_ram" or "min_disk":
                    var number = Integer(attribute, value);
                    yield return (attribute, JsonSerializer.SerializeToElement(number <= int.MaxValue ? number
                        : throw CloudException.Invalid($"{Prefix}{attribute} is too large: {value}.")));
                    break;
                case "protected" when Boolean(attribute, value) is { } isProtected:
                    yield return (attribute, JsonSerializer.SerializeToElement(isProtected));
                    break;
                case "is_public" when Boolean(attribute, value) is { } isPublic:
                    // Not public keeps a private or shared image as it is, and makes a public one shared.
                    if (isPublic || current is { Visibility: ImageVisibility.Public or ImageVisibility.Community })
                    {
                        yield return ("visibility", JsonSerializer.SerializeToElement(isPublic ? ImageVisibility.Public : ImageVisibility.Shared));
                    }
                    break;
            }
        }
    }

    /// <summary>Writes the image as glance v1's metadata headers.</summary>
    public static void Write(IHeaderDictionary headers, Image image)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var (key, value) in V1ImageView.Attributes(image))
        {
            if (value is not null)
            {
                headers[Prefix + key] = HeaderValue(value switch
                {
                    bool b => b ? "True" : "False",
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    _ => value.ToString()!,
                });
            }
        }
        foreach (var (key, value) in image.Properties)
        {
            headers[PropertyPrefix + key] = HeaderValue(value);
        }
    }

    /// <summary>
    /// HTTP headers carry ASCII only; anything else (a property in another script) goes as UTF-8 percent-encoding, so
    /// the answer is never refused by the server. v2's JSON carries such values as they are.
    /// </summary>
    private static string HeaderValue(string value) =>
        value.All(c => c is >= ' ' and <= '~') ? value : string.Concat(Encoding.UTF8.GetBytes(value).Select(b => b is >= 0x20 and <= 0x7e and not (byte)'%' ? ((char)b).ToString() : $"%{b:X2}"));

    private static long Integer(string attribute, string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw CloudException.Invalid($"Invalid value '{value}' for {Prefix}{attribute}: a non-negative integer is expected.");

    /// <summary>A boolean as oslo's bool_from_string reads it; <c>None</c> (what glanceclient sends for "not given") is null.</summary>
    private static bool? Boolean(string attribute, string value) => value.Trim().ToLowerInvariant() switch
    {
        "none" or "" => null,
        "true" or "t" or "1" or "yes" or "y" or "on" => true,
        "false" or "f" or "0" or "no" or "n" or "off" => false,
        _ => throw CloudException.Invalid($"Invalid value '{value}' for {Prefix}{attribute}: use true or false."),
    };
}
