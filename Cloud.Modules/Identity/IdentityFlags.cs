using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Identity;

/// <summary>Flags of the identity service (served by the api role): the Keystone endpoint and its tokens.</summary>
public sealed class IdentityFlags : IValidatedFlags
{
    [ConfigurationKeyName("keystone_listen")]
    [Description("Address the Keystone (identity) endpoint listens on.")]
    public string KeystoneListen { get; set; } = "0.0.0.0";

    [ConfigurationKeyName("keystone_port")]
    [Description("Port of the Keystone (identity) endpoint.")]
    public int KeystonePort { get; set; } = 5000;

    [ConfigurationKeyName("token_expiration")]
    [Description("Seconds an identity token stays valid.")]
    public int TokenExpiration { get; set; } = 3600;

    [ConfigurationKeyName("region_name")]
    [Description("Region name of every endpoint in the service catalog.")]
    public string RegionName { get; set; } = "RegionOne";

    [ConfigurationKeyName("keystone_url")]
    [Description("Identity endpoint URL handed to clients (catalog, novarc).")]
    public string KeystoneUrl { get; set; } = "http://$cc_host:$keystone_port/v3";

    [ConfigurationKeyName("swift_url")]
    [Description("Object store URL in the catalog, up to the project id (AUTH_<project> is appended).")]
    public string SwiftUrl { get; set; } = "http://$s3_host:8080/v1/AUTH_";

    [ConfigurationKeyName("token_revocation_refresh")]
    [Description("Seconds between reloads of token revocations, so every api process honours a revocation.")]
    public int TokenRevocationRefresh { get; set; } = 2;

    [ConfigurationKeyName("max_token_revocations_per_user")]
    [Description("Single-token revocations kept per user; past it, revoking ends every token of the user issued so far.")]
    public int MaxTokenRevocationsPerUser { get; set; } = 100;

    [ConfigurationKeyName("login_failure_limit")]
    [Description("Failed password logins per user name within login_failure_window before further logins are refused (0: no limit).")]
    public int LoginFailureLimit { get; set; } = 5;

    [ConfigurationKeyName("login_failure_limit_per_address")]
    [Description("Failed password logins per client address within login_failure_window before further logins are refused (0: no limit).")]
    public int LoginFailureLimitPerAddress { get; set; } = 50;

    [ConfigurationKeyName("login_failure_window")]
    [Description("Seconds failed password logins are counted over, per user name and per client address.")]
    public int LoginFailureWindow { get; set; } = 300;

    [ConfigurationKeyName("application_credential_user_limit")]
    [Description("Application credentials one user may hold (-1: no limit; Keystone's [application_credential] user_limit).")]
    public int ApplicationCredentialUserLimit { get; set; } = 100;

    [ConfigurationKeyName("ec2_credential_user_limit")]
    [Description("EC2 credentials one user may hold (-1: no limit; Keystone's [credential] user_limit).")]
    public int Ec2CredentialUserLimit { get; set; } = 100;

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        FlagError.RequirePort("keystone_port", KeystonePort);
        FlagError.Require(TokenExpiration >= 1, "token_expiration", TokenExpiration, "must be at least 1 second");
        FlagError.Require(TokenRevocationRefresh >= 1, "token_revocation_refresh", TokenRevocationRefresh, "must be at least 1 second");
        FlagError.Require(MaxTokenRevocationsPerUser >= 1, "max_token_revocations_per_user", MaxTokenRevocationsPerUser, "must be at least 1");
        FlagError.Require(LoginFailureLimit >= 0, "login_failure_limit", LoginFailureLimit, "must be 0 (no limit) or more");
        FlagError.Require(LoginFailureLimitPerAddress >= 0, "login_failure_limit_per_address", LoginFailureLimitPerAddress, "must be 0 (no limit) or more");
        FlagError.Require(ApplicationCredentialUserLimit >= -1, "application_credential_user_limit", ApplicationCredentialUserLimit, "must be -1 (no limit) or more");
        FlagError.Require(Ec2CredentialUserLimit >= -1, "ec2_credential_user_limit", Ec2CredentialUserLimit, "must be -1 (no limit) or more");
        FlagError.Require(LoginFailureWindow >= 1, "login_failure_window", LoginFailureWindow, "must be at least 1 second");
    }
}
