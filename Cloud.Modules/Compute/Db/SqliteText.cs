namespace Cloud.Modules.Compute.Db;

/// <summary>The text in which SQLite keeps a DateTime, read without the general parser (see <see cref="InstanceRow"/>).</summary>
internal static class SqliteText
{
    /// <summary>The date and time every stored value starts with; a fraction of 1 to 7 digits may follow after a '.'.</summary>
    private const string Shape = "0000-00-00 00:00:00";

    /// <summary>The most fraction digits (ticks are 100 ns).</summary>
    private const int MaxFraction = 7;

    /// <summary>Ticks per unit of a fraction of n digits (index n): 7 digits are ticks, 1 digit tenths of a second.</summary>
    private static readonly int[] Scale = [0, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];

    /// <summary>
    /// <paramref name="text"/> of <c>yyyy-MM-dd HH:mm:ss</c>, with or without a fraction of 1 to 7 digits, as the
    /// DateTime DateTime.Parse makes of it with the invariant culture; false for any other text (or an impossible
    /// date), which the caller parses as before. Microsoft.Data.Sqlite writes a DateTime as
    /// <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>, which drops the fraction's trailing zeros: one stored date in eight had
    /// fewer than 7 digits (1,000 servers' created_at, updated_at, launched_at) and went to the general parser.
    /// </summary>
    public static bool TryParse(string text, out DateTime value)
    {
        value = default;
        var fraction = text.Length - Shape.Length - 1;
        if (text.Length != Shape.Length && (fraction is < 1 or > MaxFraction || text[Shape.Length] != '.'))
        {
            return false;
        }
        for (var i = 0; i < text.Length; i++)
        {
            if (i < Shape.Length ? (Shape[i] == '0' ? !char.IsAsciiDigit(text[i]) : text[i] != Shape[i]) : i > Shape.Length && !char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }
        int year = Number(text, 0, 4), month = Number(text, 5, 2), day = Number(text, 8, 2);
        int hour = Number(text, 11, 2), minute = Number(text, 14, 2), second = Number(text, 17, 2);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        var ticks = fraction > 0 ? Number(text, Shape.Length + 1, fraction) * Scale[fraction] : 0;
        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
        return true;
    }

    private static int Number(string text, int start, int length)
    {
        var number = 0;
        for (var i = start; i < start + length; i++)
        {
            number = (number * 10) + (text[i] - '0');
        }
        return number;
    }
}
