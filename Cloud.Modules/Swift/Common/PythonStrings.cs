namespace Cloud.Modules.Swift.Common;

/// <summary>Python string methods whose exact results Swift's answers carry.</summary>
public static class PythonStrings
{
    /// <summary>
    /// Python's <c>str.title()</c>: each run of letters starts upper case, the rest lower ("gold-2x" becomes "Gold-2X");
    /// swob applies it to header names, formpost to its messages.
    /// </summary>
    public static string Title(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chars = text.ToCharArray();
        var previousLetter = false;
        for (var i = 0; i < chars.Length; i++)
        {
            var letter = char.IsLetter(chars[i]);
            chars[i] = letter && !previousLetter ? char.ToUpperInvariant(chars[i]) : letter ? char.ToLowerInvariant(chars[i]) : chars[i];
            previousLetter = letter;
        }
        return new string(chars);
    }
}
