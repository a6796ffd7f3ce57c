using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Api;

/// <summary>Flags of the api role: where the APIs listen and the URLs clients are given.</summary>
public sealed class ApiFlags : IValidatedFlags
{
    [ConfigurationKeyName("ec2_url")]
    [Description("EC2 API URL handed to users in their credentials.")]
    public string Ec2Url { get; set; } = "http://$cc_host:$ec2_listen_port/services/Cloud";

    [ConfigurationKeyName("cc_host")]
    [Description("Host name or address of the cloud controller (the api role).")]
    public string CcHost { get; set; } = "127.0.0.1";

    [ConfigurationKeyName("s3_host")]
    [Description("Host of the S3 endpoint handed to users.")]
    public string S3Host { get; set; } = "$cc_host";

    [ConfigurationKeyName("ec2_listen")]
    [Description("Address the EC2 API listens on.")]
    public string Ec2Listen { get; set; } = "0.0.0.0";

    [ConfigurationKeyName("ec2_listen_port")]
    [Description("Port of the EC2 API.")]
    public int Ec2ListenPort { get; set; } = 8773;

    [ConfigurationKeyName("osapi_compute_listen")]
    [Description("Address the OpenStack Compute API listens on.")]
    public string OsapiComputeListen { get; set; } = "0.0.0.0";

    [ConfigurationKeyName("osapi_compute_listen_port")]
    [Description("Port of the OpenStack Compute API.")]
    public int OsapiComputeListenPort { get; set; } = 8774;

    [ConfigurationKeyName("osapi_volume_listen")]
    [Description("Address the OpenStack Block Storage API (Cinder v3) listens on.")]
    public string OsapiVolumeListen { get; set; } = "0.0.0.0";

    [ConfigurationKeyName("osapi_volume_listen_port")]
    [Description("Port of the OpenStack Block Storage API (Cinder v3).")]
    public int OsapiVolumeListenPort { get; set; } = 8776;

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        FlagError.RequirePort("ec2_listen_port", Ec2ListenPort);
        FlagError.RequirePort("osapi_compute_listen_port", OsapiComputeListenPort);
        FlagError.RequirePort("osapi_volume_listen_port", OsapiVolumeListenPort);
    }
}
