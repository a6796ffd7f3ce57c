namespace Cloud.Modules.Scheduler.Weighers;

/// <summary>Prefers free RAM: spreads with a positive ram_weight_multiplier, stacks with a negative one.</summary>
public sealed class RamWeigher(double multiplier) : IHostWeigher
{
    public double Multiplier => multiplier;

    public double Weigh(HostState host, RequestSpec spec) => host.FreeRamMb;
}
