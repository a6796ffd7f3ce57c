using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Cloud.Modules.Kernel.Http;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Swift.Storage;

/// <summary>Flags of the object store's storage servers (swift's object-server.conf, container-server.conf, account-server.conf).</summary>
public sealed class SwiftStorageFlags : IValidatedFlags
{
    [ConfigurationKeyName("swift_devices")]
    [Description("Directory holding the storage devices, one sub-directory each (swift's default is /srv/node).")]
    public string SwiftDevices { get; set; } = "$state_path/devices";

    [ConfigurationKeyName("swift_mount_check")]
    [Description("Refuse to use a device that is not a mount point (protects the root disk when a device is missing).")]
    public bool SwiftMountCheck { get; set; }

    [ConfigurationKeyName("swift_storage_listen")]
    [Description("Address the object, container and account servers listen on: this host's storage-network address, the one its devices have in the rings (they take no authentication); every interface is refused without --swift_storage_listen_any_address.")]
    public string SwiftStorageListen { get; set; } = "127.0.0.1";

    [ConfigurationKeyName("swift_storage_listen_any_address")]
    [Description("Let the storage servers listen on every interface (0.0.0.0 or ::), e.g. behind a firewall that does the job: anyone who reaches them can read and write every object.")]
    public bool SwiftStorageListenAnyAddress { get; set; }

    [ConfigurationKeyName("swift_allinone")]
    [Description("With swift-proxy in the same process: build missing rings (one replica over $swift_devices/d1), generate the operator's tempauth user if none, accept Keystone tokens. On for cloudd --roles=all on defaults; a planned deployment turns it off.")]
    public bool SwiftAllInOne { get; set; } = true;

    [ConfigurationKeyName("swift_object_port")]
    [Description("Port of the object server.")]
    public int SwiftObjectPort { get; set; } = 6000;

    [ConfigurationKeyName("swift_container_port")]
    [Description("Port of the container server.")]
    public int SwiftContainerPort { get; set; } = 6001;

    [ConfigurationKeyName("swift_account_port")]
    [Description("Port of the account server.")]
    public int SwiftAccountPort { get; set; } = 6002;

    [ConfigurationKeyName("swift_threads_per_disk")]
    [Description("Threads per device that do the object server's blocking disk work (swift's threads_per_disk): a write's xattr, fsyncs and rename, a DELETE's tombstone, a POST's .meta. The request waits for them without holding a thread the network needs, and a slow device ties up only its own. Default 4: with 16 clients writing 4 KiB objects, 3 replicas on 4 devices, each device's 4 threads were about 40 % idle, and 2, 4 and 8 threads gave rates within the benchmark's noise, all above 0. 0: on the request's thread, as before.")]
    public int SwiftThreadsPerDisk { get; set; } = 4;

    /// <summary>Refuses values that cannot work, naming the flag and the value: above all a listen address on every interface without the operator's opt-in.</summary>
    public void Validate()
    {
        FlagError.Require(!ListenAddress.IsEveryInterface(SwiftStorageListen) || SwiftStorageListenAnyAddress, "swift_storage_listen", SwiftStorageListen,
            "the object, container and account servers take no authentication; listen on this host's storage-network address (the rings' IP), "
            + "or add --swift_storage_listen_any_address if a firewall keeps everyone else out");
        FlagError.RequirePort("swift_object_port", SwiftObjectPort);
        FlagError.RequirePort("swift_container_port", SwiftContainerPort);
        FlagError.RequirePort("swift_account_port", SwiftAccountPort);
        FlagError.Require(SwiftThreadsPerDisk is >= 0 and <= 64, "swift_threads_per_disk", SwiftThreadsPerDisk, "must be between 0 and 64");
    }
}
