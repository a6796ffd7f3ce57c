using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Volume;

/// <summary>Flags of the volume role (nova-volume's names): the backing store, the iSCSI export and the scheduler's limits.</summary>
public sealed class VolumeFlags : IValidatedFlags
{
    [ConfigurationKeyName("volume_driver")]
    [Description("Backing store: 'file' (sparse raw files in --volumes_dir; for hosts without device-mapper) or 'lvm' (logical volumes in --volume_group); nova.volume.driver.ISCSIDriver/LVMISCSIDriver mean lvm.")]
    public string VolumeDriver { get; set; } = "file";

    [ConfigurationKeyName("volume_group")]
    [Description("LVM volume group the lvm driver creates logical volumes in.")]
    public string VolumeGroup { get; set; } = "nova-volumes";

    [ConfigurationKeyName("volumes_dir")]
    [Description("Directory of the file driver's volume files; empty = $state_path/volumes.")]
    public string VolumesDir { get; set; } = "";

    [ConfigurationKeyName("volume_clear")]
    [Description("How a deleted volume's data is wiped: zero (write zeros over it), none.")]
    public string VolumeClear { get; set; } = "zero";

    [ConfigurationKeyName("volume_clear_size")]
    [Description("MiB to wipe at the start of a deleted volume; 0 = all of it.")]
    public long VolumeClearSize { get; set; }

    [ConfigurationKeyName("volume_name_template")]
    [Description("Backing store name of a volume, from its integer id.")]
    public string VolumeNameTemplate { get; set; } = "volume-%08x";

    [ConfigurationKeyName("snapshot_name_template")]
    [Description("Backing store name of a snapshot, from its integer id.")]
    public string SnapshotNameTemplate { get; set; } = "snapshot-%08x";

    [ConfigurationKeyName("iscsi_helper")]
    [Description("iSCSI target tool: tgtadm (tgt).")]
    public string IscsiHelper { get; set; } = "tgtadm";

    [ConfigurationKeyName("iscsi_target_prefix")]
    [Description("Prefix of target names; the volume's backing name follows.")]
    public string IscsiTargetPrefix { get; set; } = "iqn.2010-10.org.openstack:";

    [ConfigurationKeyName("iscsi_num_targets")]
    [Description("Number of iSCSI target ids (1..N) a volume host hands out (rows of iscsi_targets).")]
    public int IscsiNumTargets { get; set; } = 100;

    [ConfigurationKeyName("iscsi_ip_address")]
    [Description("Address compute hosts reach this volume host's iSCSI target at; empty = --my_ip.")]
    public string IscsiIpAddress { get; set; } = "";

    [ConfigurationKeyName("iscsi_ip_prefix")]
    [Description("Diablo's name for --iscsi_ip_address (a prefix of the address to use); used when --iscsi_ip_address is empty.")]
    public string IscsiIpPrefix { get; set; } = "";

    [ConfigurationKeyName("iscsi_port")]
    [Description("Port of the iSCSI target (tgtd's portal).")]
    public int IscsiPort { get; set; } = 3260;

    [ConfigurationKeyName("tgt_control_port")]
    [Description("Control port of the tgtd to drive (tgtadm -C N, socket /var/run/tgtd/socket.N); 0 = the system's tgtd. Lets several volume hosts share one machine.")]
    public int TgtControlPort { get; set; }

    [ConfigurationKeyName("storage_availability_zone")]
    [Description("Zone of new volumes when the request names none.")]
    public string StorageAvailabilityZone { get; set; } = "nova";

    [ConfigurationKeyName("max_gigabytes")]
    [Description("The scheduler places no more than this many GiB of volumes on one volume host.")]
    public long MaxGigabytes { get; set; } = 10000;

    [ConfigurationKeyName("volume_state_timeout")]
    [Description("Seconds a volume or snapshot may stay creating, extending or deleting before its host's periodic task ends it: creating/extending go to error with the reason, deleting is retried.")]
    public int VolumeStateTimeout { get; set; } = 600;

    [ConfigurationKeyName("volume_topic")]
    [Description("Topic volume hosts listen on.")]
    public string VolumeTopic { get; set; } = "volume";

    public void Validate()
    {
        FlagError.Require(VolumeDriver is "file" or "lvm" or "nova.volume.driver.ISCSIDriver" or "nova.volume.driver.LVMISCSIDriver",
            "volume_driver", VolumeDriver, "use file or lvm");
        FlagError.Require(VolumeClear is "zero" or "none", "volume_clear", VolumeClear, "use zero or none");
        FlagError.Require(VolumeClearSize >= 0, "volume_clear_size", VolumeClearSize, "must be 0 (all of it) or more MiB");
        FlagError.Require(IscsiHelper == "tgtadm", "iscsi_helper", IscsiHelper, "use tgtadm");
        FlagError.Require(IscsiNumTargets >= 1, "iscsi_num_targets", IscsiNumTargets, "must be at least 1");
        FlagError.RequirePort("iscsi_port", IscsiPort);
        FlagError.Require(TgtControlPort >= 0, "tgt_control_port", TgtControlPort, "must be 0 (the system's tgtd) or more");
        FlagError.Require(MaxGigabytes >= 1, "max_gigabytes", MaxGigabytes, "must be at least 1");
        FlagError.Require(VolumeStateTimeout >= 1, "volume_state_timeout", VolumeStateTimeout, "must be at least 1 second");
        RequireOneIdConversion("volume_name_template", VolumeNameTemplate);
        RequireOneIdConversion("snapshot_name_template", SnapshotNameTemplate);
    }

    /// <summary>A name template must tell volumes apart: one %x, %08x, %d or %s for the id, and nothing a path or a target name cannot hold.</summary>
    private static void RequireOneIdConversion(string name, string template) =>
        FlagError.Require(
            System.Text.RegularExpressions.Regex.Count(template, "%0?[0-9]*[xds]") == 1 && template.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '%'),
            name, template, "must hold exactly one %x, %08x, %d or %s and only letters, digits, '-', '_' and '.'");
}
