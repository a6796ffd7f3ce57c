using System.Globalization;

namespace Cloud.Modules.Kernel.Flags;

/// <summary>The one place a <see cref="FlagException"/> is made; the host prints its message as one line and exits with 2.</summary>
public static class FlagError
{
    /// <summary>A value that cannot work, as the operator wrote it: <c>--report_interval=-1: must be at least 1 second</c>.</summary>
    public static FlagException Invalid(string name, object? value, string problem) =>
        new($"--{name}={Convert.ToString(value, CultureInfo.InvariantCulture)}: {problem}");

    /// <summary>Throws <see cref="Invalid"/> unless <paramref name="holds"/>.</summary>
    public static void Require(bool holds, string name, object? value, string problem)
    {
        if (!holds)
        {
            throw Invalid(name, value, problem);
        }
    }

    /// <summary>Throws <see cref="Invalid"/> unless <paramref name="port"/> is a TCP port.</summary>
    public static void RequirePort(string name, int port) => Require(port is >= 1 and <= 65535, name, port, "must be a TCP port (1-65535)");

    /// <summary>A problem whose message already says where it is (a file and line, several flags, a command's argument).</summary>
    public static FlagException Of(string message) => new(message);
}
