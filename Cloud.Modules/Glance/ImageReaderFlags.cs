using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Glance;

/// <summary>
/// The credential compute and volume hosts read glance with: a service user holding the <c>image_reader</c> role in its project, which
/// glance honours only for reading images on behalf of an instance's owner (see README, "The image reader").
/// </summary>
public sealed class ImageReaderFlags : IValidatedFlags
{
    [ConfigurationKeyName("image_reader_auth_url")]
    [Description("Keystone v3 URL compute hosts get their image reader token from. Default: $keystone_url.")]
    public string AuthUrl { get; set; } = "$keystone_url";

    [ConfigurationKeyName("image_reader_user")]
    [Description("Service user compute hosts read images from glance as (it holds the image_reader role).")]
    public string User { get; set; } = "image-reader";

    [ConfigurationKeyName("image_reader_password")]
    [Description("Password of the image reader service user; empty: compute hosts cannot fetch images.")]
    [Secret]
    public string Password { get; set; } = "";

    [ConfigurationKeyName("image_reader_project")]
    [Description("Project the image reader service user holds the image_reader role in.")]
    public string Project { get; set; } = "service";

    public void Validate()
    {
        FlagError.Require(!string.IsNullOrWhiteSpace(AuthUrl), "image_reader_auth_url", AuthUrl, "must name keystone's v3 URL");
        FlagError.Require(!string.IsNullOrWhiteSpace(User), "image_reader_user", User, "must name the image reader service user");
        FlagError.Require(!string.IsNullOrWhiteSpace(Project), "image_reader_project", Project, "must name the image reader's project");
    }
}
