using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Cloud.Modules.Kernel.Http;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>Flags of the object store's proxy (swift's proxy-server.conf).</summary>
public sealed class SwiftProxyFlags : IValidatedFlags
{
    [ConfigurationKeyName("swift_proxy_bind")]
    [Description("host:port the Swift proxy listens on (it authenticates every request).")]
    public string SwiftProxyBind { get; set; } = "0.0.0.0:8080";

    [ConfigurationKeyName("swift_tempauth_users")]
    [Secret]
    [Description("tempauth users: comma-separated account:user:key[:groups...] (as proxy-server.conf's user_<account>_<user> = <key> .admin). No default user: without one and without --swift_keystone_auth the proxy refuses to start, a key still CHANGE_ME is refused, and an all-in-one object store generates its operator's user under state_path.")]
    public string SwiftTempauthUsers { get; set; } = "";

    [ConfigurationKeyName("swift_keystone_auth")]
    [Description("Accept Keystone tokens of this cloud's identity service, as swift's keystoneauth (see swift_reseller_prefix, swift_operator_roles, swift_service_roles, swift_reseller_admin_role); on in an all-in-one object store.")]
    public bool SwiftKeystoneAuth { get; set; }

    [ConfigurationKeyName("swift_reseller_prefix")]
    [Description("Account prefixes Keystone tokens own accounts under (keystoneauth's reseller_prefix), comma-separated, e.g. \"AUTH, SERVICE\": a project's accounts are <PREFIX>_<project id>; '' is the empty prefix. A Keystone caller on an account with another prefix is refused (403).")]
    public string SwiftResellerPrefix { get; set; } = "AUTH";

    [ConfigurationKeyName("swift_operator_roles")]
    [Description("Keystone roles that own their project's accounts (keystoneauth's operator_roles), comma-separated; ';'-separated PREFIX=roles entries set one prefix's (keystoneauth's <PREFIX>_operator_roles), e.g. \"admin, swiftoperator; SERVICE=admin\". A member without one gets only what ACLs grant. Empty: \"admin, swiftoperator, member\" (keystoneauth's defaults and member, as devstack configures it: cloudd gives a project's users the member role, so they use their project's account with nothing configured).")]
    public string SwiftOperatorRoles { get; set; } = "";

    [ConfigurationKeyName("swift_service_roles")]
    [Description("Roles an X-Service-Token's user must hold, besides the user's operator role, to own an account (keystoneauth's service_roles), in swift_operator_roles' format, e.g. \"SERVICE=service\". Empty: no service token needed.")]
    public string SwiftServiceRoles { get; set; } = "";

    [ConfigurationKeyName("swift_reseller_admin_role")]
    [Description("The Keystone role that reaches every account and sets account quotas (keystoneauth's reseller_admin_role).")]
    public string SwiftResellerAdminRole { get; set; } = "ResellerAdmin";

    /// <summary>keystoneauth's rules from the four flags above.</summary>
    public KeystoneAuth.KeystoneAuthRules KeystoneRules() => KeystoneAuth.KeystoneAuthRules.Parse(
        SwiftResellerPrefix,
        SwiftOperatorRoles.Trim().Length > 0 ? SwiftOperatorRoles : KeystoneAuth.KeystoneAuthRules.CloudOperatorRoles,
        SwiftServiceRoles, SwiftResellerAdminRole);

    [ConfigurationKeyName("swift_storage_url_base")]
    [Description("Storage URL base returned by /auth/v1.0, e.g. http://swift.example.com:8080/v1; empty: http://<Host header>/v1.")]
    public string SwiftStorageUrlBase { get; set; } = "";

    [ConfigurationKeyName("swift_token_life")]
    [Description("Seconds a tempauth token stays valid.")]
    public int SwiftTokenLife { get; set; } = 86400;

    [ConfigurationKeyName("swift_node_timeout")]
    [Description("Seconds the proxy waits for a storage server before trying another.")]
    public int SwiftNodeTimeout { get; set; } = 10;

    [ConfigurationKeyName("swift_cert_file")]
    [Description("PEM certificate for HTTPS on the Swift proxy (with swift_key_file); empty: plain HTTP.")]
    public string SwiftCertFile { get; set; } = "";

    [ConfigurationKeyName("swift_key_file")]
    [Description("PEM private key of swift_cert_file.")]
    public string SwiftKeyFile { get; set; } = "";

    [ConfigurationKeyName("swift_proxy_pipeline")]
    [Description("Which of Swift's standard proxy filters are on, as proxy-server.conf's pipeline line names them (space- or comma-separated, e.g. \"catch_errors healthcheck tempauth slo dlo proxy-server\"); their order is always Swift's standard one, and catch_errors, tempauth and proxy-server are always on. Empty: all of them (catch_errors gatekeeper healthcheck proxy-logging cache listing_formats container_sync bulk tempurl ratelimit domain_remap formpost tempauth staticweb copy container-quotas account-quotas slo dlo versioned_writes symlink proxy-server). /info advertises exactly the filters that are on.")]
    public string SwiftProxyPipeline { get; set; } = "";

    /// <summary>The filters <see cref="SwiftProxyPipeline"/> turns on.</summary>
    public SwiftProxyFilters Filters() => new(SwiftProxyPipeline);

    [ConfigurationKeyName("swift_allow_versioned_writes")]
    [Description("Containers may version their objects with X-Versions-Location / X-History-Location (swift's allow_versioned_writes).")]
    public bool SwiftAllowVersionedWrites { get; set; } = true;

    [ConfigurationKeyName("swift_allow_object_versioning")]
    [Description("Containers may version their objects with X-Versions-Enabled (swift's allow_object_versioning).")]
    public bool SwiftAllowObjectVersioning { get; set; } = true;
    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        try
        {
            _ = Filters();
        }
        catch (ArgumentException e)
        {
            throw FlagError.Of($"--swift_proxy_pipeline: {e.Message}");
        }
        _ = TlsFiles.From(SwiftCertFile, SwiftKeyFile, "swift_cert_file/swift_key_file");
        FlagError.Require(SwiftTokenLife >= 1, "swift_token_life", SwiftTokenLife, "must be at least 1 second");
        try
        {
            _ = KeystoneRules();
        }
        catch (ArgumentException e)
        {
            throw FlagError.Of($"--{e.Message}");
        }
        FlagError.Require(SwiftNodeTimeout >= 1, "swift_node_timeout", SwiftNodeTimeout, "must be at least 1 second");
    }
}
