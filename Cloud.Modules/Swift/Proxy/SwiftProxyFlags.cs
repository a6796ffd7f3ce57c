using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>Flags of the object store's proxy.</summary>
public sealed class SwiftProxyFlags
{
    /// <summary>Address and port the proxy listens on. Default: 0.0.0.0:8080.</summary>
    [ConfigurationKeyName("swift_proxy_bind")]
    [Description("host:port the Swift proxy listens on.")]
    public string SwiftProxyBind { get; set; } = "0.0.0.0:8080";
}
