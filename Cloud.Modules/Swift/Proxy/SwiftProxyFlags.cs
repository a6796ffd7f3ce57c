using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>Flags of the object store's proxy (swift's proxy-server.conf).</summary>
public sealed class SwiftProxyFlags
{
    /// <summary>Address and port the proxy listens on (the proxy authenticates every request). Default: 0.0.0.0:8080.</summary>
    [ConfigurationKeyName("swift_proxy_bind")]
    [Description("host:port the Swift proxy listens on.")]
    public string SwiftProxyBind { get; set; } = "0.0.0.0:8080";

    /// <summary>
    /// tempauth users, comma-separated <c>account:user:key[:group...]</c>. Default: none. There is no default user:
    /// without one (and without <see cref="SwiftKeystoneAuth"/>) the proxy refuses to start, and a key still
    /// <c>CHANGE_ME</c> is refused. An all-in-one object store (swift-proxy and swift-storage in one
    /// process) with none generates its operator's user under <c>state_path</c>.
    /// </summary>
    [ConfigurationKeyName("swift_tempauth_users")]
    [Secret]
    [Description("tempauth users: comma-separated account:user:key[:groups...] (as proxy-server.conf's user_<account>_<user> = <key> .admin); no default user.")]
    public string SwiftTempauthUsers { get; set; } = "";

    /// <summary>
    /// Accept Keystone tokens of this cloud's identity service: a project-scoped token opens <c>AUTH_&lt;project id&gt;</c>,
    /// an admin's any account. Default: false (on in an all-in-one object store).
    /// </summary>
    [ConfigurationKeyName("swift_keystone_auth")]
    [Description("Accept Keystone tokens (a token scoped to a project opens AUTH_<project id>); on in an all-in-one object store.")]
    public bool SwiftKeystoneAuth { get; set; }

    /// <summary>Storage URL prefix handed out by /auth/v1.0 (followed by /AUTH_&lt;account&gt;). Default: empty: http://&lt;Host header&gt;/v1.</summary>
    [ConfigurationKeyName("swift_storage_url_base")]
    [Description("Storage URL base returned by /auth/v1.0, e.g. http://swift.example.com:8080/v1; empty: http://<Host header>/v1.")]
    public string SwiftStorageUrlBase { get; set; } = "";

    /// <summary>Seconds a tempauth token lives. Default: 86400.</summary>
    [ConfigurationKeyName("swift_token_life")]
    [Description("Seconds a tempauth token stays valid.")]
    public int SwiftTokenLife { get; set; } = 86400;

    /// <summary>Seconds the proxy waits for a storage server. Default: 10.</summary>
    [ConfigurationKeyName("swift_node_timeout")]
    [Description("Seconds the proxy waits for a storage server before trying another.")]
    public int SwiftNodeTimeout { get; set; } = 10;

    /// <summary>PEM certificate (chain) the proxy serves HTTPS with; with <see cref="SwiftKeyFile"/>. Default: empty: plain HTTP.</summary>
    [ConfigurationKeyName("swift_cert_file")]
    [Description("PEM certificate for HTTPS on the Swift proxy (with swift_key_file); empty: plain HTTP.")]
    public string SwiftCertFile { get; set; } = "";

    /// <summary>PEM private key of <see cref="SwiftCertFile"/>. Default: empty.</summary>
    [ConfigurationKeyName("swift_key_file")]
    [Description("PEM private key of swift_cert_file.")]
    public string SwiftKeyFile { get; set; } = "";
}
