namespace Cloud.Modules.Kernel.Flags;

/// <summary>A flag problem an operator must fix; the message names the file and line (or the command line).</summary>
public sealed class FlagException(string message) : Exception(message);
