namespace Cloud.Modules.Kernel.Bus;

/// <summary>
/// The message bus could not take a message within its deadline (the broker is down or unreachable). Transient:
/// APIs answer 503, handlers leave the message to be retried (<see cref="Reliability.TransientFaults"/>).
/// </summary>
public sealed class BusUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
