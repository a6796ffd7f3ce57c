namespace Cloud.Modules.Compute.Db;

/// <summary>The text in which SQLite keeps a DateTime, read without the general parser (see <see cref="InstanceRow"/>).</summary>
internal static class SqliteText
{
    private const string Shape = "0000-00-00 00:00:00.0000000";

    /// <summary>
    /// <paramref name="text"/> of exactly <c>yyyy-MM-dd HH:mm:ss.fffffff</c> as the DateTime DateTime.Parse makes of it
    /// with the invariant culture; false for any other text (or an impossible date), which the caller parses as before.
    /// </summary>
    public static bool TryParse(string text, out DateTime value)
    {
        value = default;
        if (text.Length != Shape.Length)
        {
            return false;
        }
        for (var i = 0; i < Shape.Length; i++)
        {
            if (Shape[i] == '0' ? !char.IsAsciiDigit(text[i]) : text[i] != Shape[i])
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
        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(Number(text, 20, 7));
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
