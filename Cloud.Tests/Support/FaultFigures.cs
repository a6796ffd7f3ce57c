using System.Globalization;
using NUnit.Framework;

namespace Cloud.Tests.Support;

/// <summary>
/// Recovery times the fault experiments measure (issue 15's benchmark): printed in the test's output and, when
/// <c>CLOUD_FAULT_FIGURES</c> names a file, appended to it for scripts/bench-faults.sh.
/// </summary>
public static class FaultFigures
{
    public const string FileVariable = "CLOUD_FAULT_FIGURES";

    /// <param name="what">e.g. "broker back -> first successful create".</param>
    /// <param name="seconds">The time measured, or null when it did not happen within the experiment's bound.</param>
    /// <param name="bound">That bound, in seconds.</param>
    public static void Record(string experiment, string what, double? seconds, double bound)
    {
        var value = seconds is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s:0.0}s") : string.Create(CultureInfo.InvariantCulture, $">{bound:0}s (not within the bound)");
        var line = $"{experiment}: {what}: {value}";
        TestContext.Out.WriteLine(line);
        if (Environment.GetEnvironmentVariable(FileVariable) is { Length: > 0 } file)
        {
            File.AppendAllText(file, line + "\n");
        }
    }
}
