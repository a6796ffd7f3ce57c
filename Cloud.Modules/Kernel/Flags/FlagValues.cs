namespace Cloud.Modules.Kernel.Flags;

/// <summary>
/// The flags an operator set (not the defaults), with where each was set, after nested flag files,
/// precedence and <c>$flag</c> interpolation. Values are normalised for the configuration binder.
/// </summary>
public sealed class FlagValues(
    FlagRegistry registry,
    IReadOnlyDictionary<string, FlagSetting> settings,
    IReadOnlyDictionary<string, string?> effective)
{
    public FlagRegistry Registry { get; } = registry;

    public IReadOnlyDictionary<string, FlagSetting> Settings { get; } = settings;

    /// <summary>The effective value: the operator's setting, else the default.</summary>
    public string? this[string name] => effective[name];

    /// <summary>Every flag with its effective value, for <c>IConfiguration</c>.</summary>
    public IReadOnlyDictionary<string, string?> Effective => effective;

    /// <summary>The defaults alone, for code that runs without any flag file (tests, tools).</summary>
    public static FlagValues Defaults(FlagRegistry registry) => new FlagFileParser(registry).Parse([], []);
}

/// <summary>A value and where it came from: <c>file:line</c> or <c>command line</c>.</summary>
public sealed record FlagSetting(string Value, string Origin);
