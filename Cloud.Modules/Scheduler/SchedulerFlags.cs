using System.ComponentModel;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Scheduler;

/// <summary>Flags of the scheduler role.</summary>
public sealed class SchedulerFlags : IValidatedFlags
{
    [ConfigurationKeyName("scheduler_driver")]
    [Description("Scheduling policy: filter (filters then weighers), simple (the host with the fewest cores in use) or chance (random among the hosts with room).")]
    public string SchedulerDriver { get; set; } = "filter";

    [ConfigurationKeyName("scheduler_default_filters")]
    [Description("Filters of the filter scheduler in order, comma-separated (default: all of them): AvailabilityZoneFilter, RamFilter, CoreFilter, DiskFilter, ComputeFilter, ImagePropertiesFilter.")]
    public string DefaultFilters { get; set; } = "AvailabilityZoneFilter,RamFilter,CoreFilter,DiskFilter,ComputeFilter,ImagePropertiesFilter";

    [ConfigurationKeyName("ram_weight_multiplier")]
    [Description("Weight of a host's free RAM: positive spreads instances, negative stacks them on the fullest host that fits.")]
    public double RamWeightMultiplier { get; set; } = 1.0;

    [ConfigurationKeyName("cpu_allocation_ratio")]
    [Description("Virtual CPUs the scheduler places per physical CPU of a host.")]
    public double CpuAllocationRatio { get; set; } = 16.0;

    [ConfigurationKeyName("ram_allocation_ratio")]
    [Description("Instance RAM the scheduler places per MiB of a host's RAM.")]
    public double RamAllocationRatio { get; set; } = 1.5;

    [ConfigurationKeyName("disk_allocation_ratio")]
    [Description("Instance disk the scheduler places per GiB of a host's disk.")]
    public double DiskAllocationRatio { get; set; } = 1.0;

    [ConfigurationKeyName("instance_build_timeout")]
    [Description("Seconds an instance may stay building (counted from its creation), or deleting (counted from its last change), before the scheduler's reconciler fails the build (ERROR with a fault) or finishes the delete; 0 disables both.")]
    public int InstanceBuildTimeout { get; set; } = 600;

    [ConfigurationKeyName("instance_scheduling_timeout")]
    [Description("Seconds an instance may wait for a host (task_state scheduling, no host) before the scheduler's reconciler sends its schedule_run_instance again, taking the first as lost; 0 disables.")]
    public int InstanceSchedulingTimeout { get; set; } = 120;

    public AllocationRatios Ratios => new(CpuAllocationRatio, RamAllocationRatio, DiskAllocationRatio);

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        FlagError.Require(SchedulerDriver is "filter" or "simple" or "chance", "scheduler_driver", SchedulerDriver, "use filter, simple or chance");
        _ = FilterScheduler.FiltersNamed(DefaultFilters);
        FlagError.Require(CpuAllocationRatio > 0, "cpu_allocation_ratio", CpuAllocationRatio, "must be positive");
        FlagError.Require(RamAllocationRatio > 0, "ram_allocation_ratio", RamAllocationRatio, "must be positive");
        FlagError.Require(DiskAllocationRatio > 0, "disk_allocation_ratio", DiskAllocationRatio, "must be positive");
        FlagError.Require(InstanceBuildTimeout >= 0, "instance_build_timeout", InstanceBuildTimeout, "must be 0 (off) or a number of seconds");
        FlagError.Require(InstanceSchedulingTimeout >= 0, "instance_scheduling_timeout", InstanceSchedulingTimeout, "must be 0 (off) or a number of seconds");
    }
}
