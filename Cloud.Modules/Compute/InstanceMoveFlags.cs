using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Compute;

/// <summary>Flags of resize and shelve (nova's names and defaults).</summary>
public sealed class InstanceMoveFlags : IValidatedFlags
{
    [ConfigurationKeyName("allow_resize_to_same_host")]
    [Description("Let the scheduler choose the instance's own host for a resize (needed with a single compute host). Default: false.")]
    public bool AllowResizeToSameHost { get; set; }

    [ConfigurationKeyName("resize_confirm_window")]
    [Description("Seconds after which a resize still waiting in VERIFY_RESIZE is confirmed by its source host; 0 never. Default: 0.")]
    public int ResizeConfirmWindow { get; set; }

    [ConfigurationKeyName("shelved_offload_time")]
    [Description("Seconds a shelved instance keeps its host before it is offloaded; 0 offloads at once, -1 never. Default: 0.")]
    public int ShelvedOffloadTime { get; set; }

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        FlagError.Require(ResizeConfirmWindow >= 0, "resize_confirm_window", ResizeConfirmWindow, "must be 0 (never) or a number of seconds");
        FlagError.Require(ShelvedOffloadTime >= -1, "shelved_offload_time", ShelvedOffloadTime, "must be -1 (never), 0 (at once) or a number of seconds");
    }
}
