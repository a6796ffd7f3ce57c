namespace Cloud.Modules.Kernel.Bus.Amqp;

/// <summary>
/// How long to wait between connection attempts during one outage: every <c>rabbit_retry_interval</c> for the
/// first <see cref="FastWindow"/> (a restarting broker is usually back within it, and is then found within an
/// interval), then doubling up to <c>rabbit_retry_max</c>, so a broker that is down for long is not hammered.
/// </summary>
internal sealed class ReconnectSchedule
{
    /// <summary>How long into an outage attempts stay at the plain interval.</summary>
    public static readonly TimeSpan FastWindow = TimeSpan.FromMinutes(1);

    private readonly TimeSpan _interval;
    private readonly TimeSpan _max;
    private TimeSpan _delay;

    public ReconnectSchedule(TimeSpan interval, TimeSpan max)
    {
        _interval = interval;
        _max = max < interval ? interval : max;
        _delay = interval;
    }

    /// <summary>The wait before the next attempt, <paramref name="outage"/> after the first failed one.</summary>
    public TimeSpan Next(TimeSpan outage)
    {
        if (outage < FastWindow)
        {
            _delay = _interval;
            return _interval;
        }
        _delay = _delay * 2 < _max ? _delay * 2 : _max;
        return _delay;
    }

    /// <summary>Connected again: the next outage starts over at the plain interval.</summary>
    public void Reset() => _delay = _interval;
}
