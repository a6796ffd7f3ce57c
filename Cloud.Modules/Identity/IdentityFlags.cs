using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Identity;

/// <summary>Flags of the identity service (served by the api role): the Keystone endpoint and its tokens.</summary>
public sealed class IdentityFlags
{
    /// <summary>Address the Keystone v3 endpoint listens on. Default: 0.0.0.0.</summary>
    [ConfigurationKeyName("keystone_listen")]
    [Description("Address the Keystone (identity) endpoint listens on.")]
    public string KeystoneListen { get; set; } = "0.0.0.0";

    /// <summary>Default: 5000.</summary>
    [ConfigurationKeyName("keystone_port")]
    [Description("Port of the Keystone (identity) endpoint.")]
    public int KeystonePort { get; set; } = 5000;

    /// <summary>Seconds a token stays valid. Default: 3600.</summary>
    [ConfigurationKeyName("token_expiration")]
    [Description("Seconds an identity token stays valid.")]
    public int TokenExpiration { get; set; } = 3600;

    /// <summary>Region every catalog endpoint is in. Default: RegionOne.</summary>
    [ConfigurationKeyName("region_name")]
    [Description("Region name of every endpoint in the service catalog.")]
    public string RegionName { get; set; } = "RegionOne";

    /// <summary>Public URL of the identity endpoint handed to clients. Default: http://$cc_host:$keystone_port/v3.</summary>
    [ConfigurationKeyName("keystone_url")]
    [Description("Identity endpoint URL handed to clients (catalog, novarc).")]
    public string KeystoneUrl { get; set; } = "http://$cc_host:$keystone_port/v3";

    /// <summary>Object store URL prefix in the catalog; the project id is appended. Default: http://$s3_host:8080/v1/AUTH_.</summary>
    [ConfigurationKeyName("swift_url")]
    [Description("Object store URL in the catalog, up to the project id (AUTH_<project> is appended).")]
    public string SwiftUrl { get; set; } = "http://$s3_host:8080/v1/AUTH_";

    /// <summary>Seconds between reloads of token revocations from the database. Default: 2.</summary>
    [ConfigurationKeyName("token_revocation_refresh")]
    [Description("Seconds between reloads of token revocations, so every api process honours a revocation.")]
    public int TokenRevocationRefresh { get; set; } = 2;
}
