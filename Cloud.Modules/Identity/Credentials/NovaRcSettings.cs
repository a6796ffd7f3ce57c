using System.Text;

namespace Cloud.Modules.Identity.Credentials;

/// <summary>What <see cref="NovaRc.Render"/> writes into a user's <c>novarc</c>. Any characters are allowed except NUL.</summary>
public sealed record NovaRcSettings
{
    /// <summary>The user's name: <c>OS_USERNAME</c>, <c>NOVA_USERNAME</c>.</summary>
    public required string User { get; init; }

    /// <summary>The project's name: <c>OS_PROJECT_NAME</c>, <c>NOVA_PROJECT_ID</c>.</summary>
    public required string Project { get; init; }

    /// <summary>
    /// <c>EC2_ACCESS_KEY</c>, <c>AWS_ACCESS_KEY_ID</c> and <c>NOVA_API_KEY</c>, written as given. Nova wrote
    /// <c>access:project</c> here so that EC2 requests chose the project; pass that form if the EC2 API reads it.
    /// </summary>
    public required string Ec2AccessKey { get; init; }

    /// <summary><c>EC2_SECRET_KEY</c> and <c>AWS_SECRET_ACCESS_KEY</c>.</summary>
    public required string Ec2SecretKey { get; init; }

    /// <summary><c>EC2_URL</c>, e.g. <c>http://ares:8773/services/Cloud</c> (the seed's <c>--ec2_url</c>).</summary>
    public required string Ec2Url { get; init; }

    /// <summary><c>S3_URL</c>, e.g. <c>http://ares:3333</c> (the seed's <c>--s3_host</c>).</summary>
    public required string S3Url { get; init; }

    /// <summary><c>OS_AUTH_URL</c>, Keystone v3, e.g. <c>http://ares:5000/v3</c>.</summary>
    public required string AuthUrl { get; init; }

    /// <summary>
    /// <c>NOVA_URL</c> for cactus-era clients, e.g. <c>http://ares:8774/v1.1/</c>. Default: null, no line.
    /// Today's novaclient reads it only when <c>OS_AUTH_URL</c> is unset.
    /// </summary>
    public string? NovaUrl { get; init; }

    /// <summary>
    /// <c>OS_PASSWORD</c>. Default: null: the file then asks for it when sourced from a terminal and
    /// <c>OS_PASSWORD</c> is not already set, and asks nothing when sourced without a terminal.
    /// </summary>
    public string? Password { get; init; }

    /// <summary><c>OS_REGION_NAME</c>, the Keystone catalog's region. Default: RegionOne.</summary>
    public string RegionName { get; init; } = "RegionOne";

    /// <summary><c>AWS_DEFAULT_REGION</c>, the region EC2 signatures are scoped to. Default: nova.</summary>
    public string Ec2RegionName { get; init; } = "nova";

    /// <summary><c>OS_USER_DOMAIN_NAME</c> and <c>OS_PROJECT_DOMAIN_NAME</c>. Default: Default.</summary>
    public string DomainName { get; init; } = "Default";

    // A record prints every member; keep the secrets out of logs.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"User = {User}, Project = {Project}, Ec2AccessKey = {Ec2AccessKey}, Ec2Url = {Ec2Url}, ");
        builder.Append($"S3Url = {S3Url}, AuthUrl = {AuthUrl}, NovaUrl = {NovaUrl}, RegionName = {RegionName}, ");
        builder.Append($"Ec2RegionName = {Ec2RegionName}, DomainName = {DomainName}");
        return true;
    }
}
