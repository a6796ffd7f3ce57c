namespace Cloud.Modules.Scheduler.Weighers;

/// <summary>
/// A scheduler weigher: a raw value per host, normalised to 0..1 across the candidate hosts and multiplied by
/// <see cref="Multiplier"/> (nova's weighers); the host with the highest sum wins.
/// </summary>
public interface IHostWeigher
{
    double Multiplier { get; }

    double Weigh(HostState host, RequestSpec spec);
}
