namespace Cloud.Modules.Swift.Storage;

/// <summary>Whether a directory is a mount point, from /proc/self/mountinfo (.NET exposes no st_dev to compare).</summary>
internal static class MountPoints
{
    public static bool IsMountPoint(string directory)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        try
        {
            // Field 5 is the mount point, with spaces and the like escaped as \ooo octal.
            return File.ReadLines("/proc/self/mountinfo")
                .Select(line => line.Split(' '))
                .Where(fields => fields.Length > 4)
                .Any(fields => Unescape(fields[4]) == full);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string Unescape(string field)
    {
        var result = new System.Text.StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field.AsSpan(i + 1, 3)))
            {
                result.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                result.Append(field[i]);
            }
        }
        return result.ToString();
    }

    private static bool IsOctal(ReadOnlySpan<char> digits)
    {
        foreach (var c in digits)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }
        }
        return true;
    }
}
