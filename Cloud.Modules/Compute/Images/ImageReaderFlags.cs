using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Compute.Images;

/// <summary>
/// The compute host's credential for glance: a service user holding the <c>image_reader</c> role in its project, which
/// glance honours only for reading images on behalf of an instance's owner (see README, "The image reader").
/// </summary>
public sealed class ImageReaderFlags
{
    /// <summary>Keystone v3 endpoint the host gets its token from. Default: $keystone_url.</summary>
    [ConfigurationKeyName("image_reader_auth_url")]
    [Description("Keystone v3 URL compute hosts get their image reader token from.")]
    public string AuthUrl { get; set; } = "$keystone_url";

    /// <summary>The service user. Default: image-reader.</summary>
    [ConfigurationKeyName("image_reader_user")]
    [Description("Service user compute hosts read images from glance as (it holds the image_reader role).")]
    public string User { get; set; } = "image-reader";

    /// <summary>The service user's password. Default: empty.</summary>
    [ConfigurationKeyName("image_reader_password")]
    [Description("Password of the image reader service user.")]
    [Secret]
    public string Password { get; set; } = "";

    /// <summary>The project the service user holds <c>image_reader</c> in. Default: service.</summary>
    [ConfigurationKeyName("image_reader_project")]
    [Description("Project the image reader service user holds the image_reader role in.")]
    public string Project { get; set; } = "service";
}
