namespace Cloud.Modules.Swift.Common.Ring;

/// <summary>
/// A ring builder or ring file operation was refused: bad <c>create</c> arguments, a malformed
/// <c>add</c> string, an unknown device id, or a builder/ring file that cannot be read.
/// The message names the offending part so an operator can fix the command line.
/// </summary>
public sealed class RingBuilderException(string message, Exception? inner = null) : Exception(message, inner);
