using System.Globalization;

namespace Cloud.Modules.Kernel.Flags;

/// <summary>One declared flag: its name, type, default and help, and the flags class that declares it.</summary>
public sealed record FlagDefinition(string Name, Type ValueType, string? DefaultValue, string Help, bool IsSecret, Type DeclaredBy)
{
    public bool IsBoolean => ValueType == typeof(bool);

    /// <summary>
    /// Checks <paramref name="raw"/> against the flag's type and returns the form the configuration binder reads
    /// (booleans become <c>true</c>/<c>false</c>), or null with <paramref name="error"/> saying what is wrong.
    /// </summary>
    public string? Normalize(string raw, out string? error)
    {
        error = null;
        var value = raw.Trim();
        if (ValueType == typeof(string))
        {
            return raw;
        }
        if (IsBoolean)
        {
            switch (value.ToLowerInvariant())
            {
                case "1" or "true" or "yes" or "on": return "true";
                case "0" or "false" or "no" or "off": return "false";
            }
            error = $"--{Name} takes a boolean (true/false, 1/0, yes/no), not '{raw}'";
            return null;
        }
        if (ValueType == typeof(int))
        {
            if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                return value;
            }
            error = $"--{Name} takes an integer, not '{raw}'";
            return null;
        }
        if (ValueType == typeof(long))
        {
            if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                return value;
            }
            error = $"--{Name} takes an integer, not '{raw}'";
            return null;
        }
        if (ValueType == typeof(double))
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                return value;
            }
            error = $"--{Name} takes a number, not '{raw}'";
            return null;
        }
        throw new InvalidOperationException($"Flag --{Name} has unsupported type {ValueType.Name}.");
    }

    /// <summary>The value as shown to operators: secrets masked.</summary>
    public string Display(string? value) =>
        IsSecret && !string.IsNullOrEmpty(value) ? "***" : Secrets.MaskUrlPassword(value ?? "");
}
