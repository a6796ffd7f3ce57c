namespace Cloud.Modules.Kernel.Flags;

/// <summary>
/// A flag problem an operator must fix; the message names the flag and its value, or the file and line. Made only by
/// <see cref="FlagError"/>, so every such message has one shape.
/// </summary>
public sealed class FlagException : Exception
{
    internal FlagException(string message)
        : base(message)
    {
    }
}
