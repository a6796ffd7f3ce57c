namespace Cloud.Modules.Network.Drivers;

/// <summary>One associated floating IP as the network host carries it.</summary>
/// <param name="FloatingAddress">The floating IP, bound as a /32 to <paramref name="Interface"/>.</param>
/// <param name="FixedAddress">The instance's fixed IP it is DNATed to, and SNATed from.</param>
/// <param name="Interface">The public interface (the range's <c>--interface</c>, default <c>--public_interface</c>).</param>
public sealed record FloatingNat(string FloatingAddress, string FixedAddress, string Interface);
