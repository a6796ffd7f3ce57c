namespace Cloud.Modules.Identity.Ec2;

/// <summary>
/// A Keystone EC2 credential (<c>/v3/users/{id}/credentials/OS-EC2</c>): an access/secret pair of a user, bound to
/// a project the EC2 API then acts in. The secret is kept as is: EC2 signatures are HMACs keyed with it.
/// </summary>
public sealed class Ec2Credential
{
    public string Access { get; init; } = "";

    public string Secret { get; init; } = "";

    public string UserId { get; init; } = "";

    public string ProjectId { get; init; } = "";

    public DateTime CreatedAt { get; init; }

    /// <summary>Keystone's credential id for the pair: the hex SHA-256 of the access key (keystone.common.utils.hash_access_key).</summary>
    public string Id => IdOf(Access);

    public static string IdOf(string access) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(access)));
}
