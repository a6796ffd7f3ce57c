using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Scheduler;

/// <summary>Flags of the scheduler role.</summary>
public sealed class SchedulerFlags
{
    /// <summary>How hosts are chosen: <c>filter</c> (filters, then weighers) or <c>chance</c>. Default: filter.</summary>
    [ConfigurationKeyName("scheduler_driver")]
    [Description("Scheduling policy: filter (filters then weighers) or chance (random among the hosts that pass).")]
    public string SchedulerDriver { get; set; } = "filter";
}
