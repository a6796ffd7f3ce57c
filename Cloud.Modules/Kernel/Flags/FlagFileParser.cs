using System.Text;

namespace Cloud.Modules.Kernel.Flags;

/// <summary>
/// Reads nova.conf-style flags: one <c>--name=value</c> per line, <c>--name</c> / <c>--noname</c> for booleans,
/// <c>#</c> comments, nested <c>--flagfile=</c> (relative to the including file), and <c>$name</c> / <c>${name}</c>
/// interpolation of other flags. Precedence: defaults &lt; flag files (in order) &lt; command line; the last value wins.
/// Every error is a <see cref="FlagException"/> naming the file and line.
/// </summary>
public sealed class FlagFileParser(FlagRegistry registry)
{
    private const string CommandLine = "command line";

    /// <summary>Parses the command line's flag tokens and the flag files they name (<paramref name="flagFiles"/> first).</summary>
    public FlagValues Parse(IEnumerable<string> flagFiles, IEnumerable<string> commandLineTokens)
    {
        var raw = new Dictionary<string, FlagSetting>(StringComparer.Ordinal);
        var tokens = commandLineTokens.ToList();
        var files = flagFiles.ToList();
        var direct = new List<string>();
        foreach (var token in tokens)
        {
            if (SplitToken(token, CommandLine) is ("flagfile", { } path))
            {
                files.Add(path);
            }
            else
            {
                direct.Add(token);
            }
        }
        foreach (var file in files)
        {
            ReadFile(Path.GetFullPath(file), CommandLine, raw, []);
        }
        foreach (var token in direct)
        {
            Apply(token, CommandLine, raw);
        }
        var settings = Interpolate(raw);
        var effective = registry.All.ToDictionary(
            f => f.Name,
            f => settings.TryGetValue(f.Name, out var s) ? s.Value
                : f.DefaultValue is { } d && d.Contains('$') ? Expand(d, $"default of --{f.Name}", raw, [f.Name]) : f.DefaultValue,
            StringComparer.Ordinal);
        return new FlagValues(registry, settings, effective);
    }

    private void ReadFile(string path, string includedFrom, Dictionary<string, FlagSetting> raw, HashSet<string> open)
    {
        if (!File.Exists(path))
        {
            throw FlagError.Of($"{includedFrom}: flagfile {path} does not exist");
        }
        if (!open.Add(path))
        {
            throw FlagError.Of($"{includedFrom}: flagfile {path} includes itself");
        }
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }
            var origin = $"{path}:{number}";
            if (SplitToken(text, origin) is ("flagfile", { } nested))
            {
                var dir = Path.GetDirectoryName(path)!;
                ReadFile(Path.GetFullPath(nested, dir), origin, raw, open);
                continue;
            }
            Apply(text, origin, raw);
        }
        open.Remove(path);
    }

    private void Apply(string token, string origin, Dictionary<string, FlagSetting> raw)
    {
        var (name, value) = SplitToken(token, origin);
        if (registry.TryGet(name, out var flag))
        {
            if (value is null && !flag.IsBoolean)
            {
                throw FlagError.Of($"{origin}: --{name} needs a value (--{name}=...)");
            }
            raw[name] = new FlagSetting(value ?? "true", origin);
            return;
        }
        if (value is null && name.StartsWith("no", StringComparison.Ordinal)
            && registry.TryGet(name[2..], out var negated) && negated.IsBoolean)
        {
            raw[negated.Name] = new FlagSetting("false", origin);
            return;
        }
        throw FlagError.Of($"{origin}: unknown flag --{name}");
    }

    private static (string Name, string? Value) SplitToken(string token, string origin)
    {
        if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length == 2)
        {
            throw FlagError.Of($"{origin}: expected --name=value, got '{token}'");
        }
        var eq = token.IndexOf('=', StringComparison.Ordinal);
        var name = eq < 0 ? token[2..] : token[2..eq];
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw FlagError.Of($"{origin}: '{token}' is not a flag (names are letters, digits and _)");
        }
        return (name, eq < 0 ? null : token[(eq + 1)..].TrimEnd());
    }

    /// <summary>Expands <c>$name</c>, <c>${name}</c> and <c>$$</c>, then checks every value against its flag's type.</summary>
    private Dictionary<string, FlagSetting> Interpolate(Dictionary<string, FlagSetting> raw)
    {
        var result = new Dictionary<string, FlagSetting>(StringComparer.Ordinal);
        foreach (var (name, setting) in raw)
        {
            var expanded = Expand(setting.Value, setting.Origin, raw, [name]);
            var normalized = registry[name].Normalize(expanded, out var error)
                ?? throw FlagError.Of($"{setting.Origin}: {error}");
            result[name] = setting with { Value = normalized };
        }
        return result;
    }

    private string Expand(string value, string origin, Dictionary<string, FlagSetting> raw, HashSet<string> expanding)
    {
        if (!value.Contains('$'))
        {
            return value;
        }
        var sb = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '$')
            {
                sb.Append(value[i]);
                continue;
            }
            if (i + 1 < value.Length && value[i + 1] == '$')
            {
                sb.Append('$');
                i++;
                continue;
            }
            var braced = i + 1 < value.Length && value[i + 1] == '{';
            var start = braced ? i + 2 : i + 1;
            var end = start;
            while (end < value.Length && (char.IsAsciiLetterOrDigit(value[end]) || value[end] == '_'))
            {
                end++;
            }
            var name = value[start..end];
            if (braced && (end >= value.Length || value[end] != '}'))
            {
                throw FlagError.Of($"{origin}: unterminated ${{...}} in '{value}'");
            }
            if (!registry.TryGet(name, out var flag))
            {
                throw FlagError.Of($"{origin}: '${name}' refers to an unknown flag (write $$ for a literal $)");
            }
            if (!expanding.Add(name))
            {
                throw FlagError.Of($"{origin}: ${name} refers to itself");
            }
            var referenced = Expand(raw.TryGetValue(name, out var s) ? s.Value : flag.DefaultValue ?? "", origin, raw, expanding);
            expanding.Remove(name);
            sb.Append(referenced);
            i = braced ? end : end - 1;
        }
        return sb.ToString();
    }
}
