using System.Text;

namespace Cloud.Modules.Identity.Ec2;

/// <summary>
/// One EC2 credential: the access key a client names in its signature, the secret both sides sign with, and
/// whose it is. <see cref="ToString"/> never prints <see cref="SecretKey"/>.
/// </summary>
/// <param name="AccessKey">Access key id (may be nova's <c>access:project</c> form).</param>
/// <param name="SecretKey">Secret access key.</param>
/// <param name="UserId">The owning user's id; null when the caller tracks ownership elsewhere.</param>
/// <param name="ProjectId">The id of the project requests signed with this key act in (a Keystone EC2 credential's); null when not known here.</param>
/// <param name="ProjectName">The name of that project instead (nova's <c>access:project</c> key form).</param>
public sealed record Ec2Secret(string AccessKey, string SecretKey, string? UserId = null, string? ProjectId = null, string? ProjectName = null)
{
    // A record prints every member; keep the secret out of logs and error messages.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"AccessKey = {AccessKey}, UserId = {UserId}, ProjectId = {ProjectId}, ProjectName = {ProjectName}");
        return true;
    }
}
