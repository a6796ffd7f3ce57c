using System.Globalization;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// A Compute API microversion (<c>2.N</c>). Request and response shapes change at documented versions; code asks
/// <c>version.AtLeast(19)</c> rather than comparing strings.
/// </summary>
public readonly record struct Microversion(int Major, int Minor) : IComparable<Microversion>
{
    /// <summary>True when this is 2.<paramref name="minor"/> or later.</summary>
    public bool AtLeast(int minor) => Major > 2 || (Major == 2 && Minor >= minor);

    public int CompareTo(Microversion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(Microversion left, Microversion right) => left.CompareTo(right) < 0;

    public static bool operator >(Microversion left, Microversion right) => left.CompareTo(right) > 0;

    public static bool operator <=(Microversion left, Microversion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Microversion left, Microversion right) => left.CompareTo(right) >= 0;

    /// <summary>Parses <c>N.M</c> (no signs, no spaces); false for anything else.</summary>
    public static bool TryParse(string? text, out Microversion version)
    {
        version = default;
        var parts = (text ?? "").Split('.');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }
        version = new Microversion(major, minor);
        return true;
    }

    public override string ToString() => $"{Major}.{Minor}";
}
