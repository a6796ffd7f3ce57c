namespace Cloud.Host.Commands;

/// <summary>Prints rows in left-aligned columns, as nova-manage's listings.</summary>
public static class TextTable
{
    /// <param name="output">Where to print.</param>
    /// <param name="header">Column titles.</param>
    /// <param name="rows">Cells, one list per row.</param>
    /// <param name="rule">Underline the header with dashes, as the seed's glance index did.</param>
    public static void Write(TextWriter output, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, bool rule = false)
    {
        var all = new List<IReadOnlyList<string>> { header };
        all.AddRange(rows);
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        if (rule)
        {
            all.Insert(1, widths.Select(w => new string('-', w)).ToList());
        }
        foreach (var row in all)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Count - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
