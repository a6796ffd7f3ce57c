using System.Collections.Frozen;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Kernel.Flags;

/// <summary>
/// Every flag every module declares, whatever roles run, so that one flag file serves all hosts and a
/// misspelt flag is an error rather than a silent default. Flags are the <c>[ConfigurationKeyName]</c>
/// properties of the modules' <c>XxxFlags</c> classes; the property initialiser is the default and
/// <c>[Description]</c> the help: the one text <c>manage flags</c> prints, so a flag carries no XML doc besides it
/// (a default the initialiser cannot show, such as the machine's host name, is stated in the description).
/// </summary>
public sealed class FlagRegistry
{
    private readonly FrozenDictionary<string, FlagDefinition> _flags;

    public FlagRegistry(IEnumerable<Type> flagClasses)
    {
        var flags = new Dictionary<string, FlagDefinition>(StringComparer.Ordinal);
        foreach (var type in flagClasses.Distinct())
        {
            var defaults = Activator.CreateInstance(type)
                ?? throw new InvalidOperationException($"{type.Name} needs a parameterless constructor.");
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var name = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name;
                if (name is null)
                {
                    continue;
                }
                var help = property.GetCustomAttribute<DescriptionAttribute>()?.Description
                    ?? throw new InvalidOperationException($"Flag --{name} ({type.Name}.{property.Name}) has no [Description].");
                var definition = new FlagDefinition(
                    name,
                    property.PropertyType,
                    Convert.ToString(property.GetValue(defaults), CultureInfo.InvariantCulture)?.ToLowerInvariantIfBool(property.PropertyType),
                    help,
                    property.IsDefined(typeof(SecretAttribute)),
                    type);
                if (!flags.TryAdd(name, definition))
                {
                    throw new InvalidOperationException($"Flag --{name} is declared twice: in {flags[name].DeclaredBy.Name} and {type.Name}.");
                }
            }
        }
        _flags = flags.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<FlagDefinition> All => _flags.Values.OrderBy(f => f.Name, StringComparer.Ordinal);

    public bool TryGet(string name, out FlagDefinition flag) => _flags.TryGetValue(name, out flag!);

    public FlagDefinition this[string name] => _flags[name];
}

internal static class FlagDefaultText
{
    public static string ToLowerInvariantIfBool(this string text, Type type) =>
        type == typeof(bool) ? text.ToLowerInvariant() : text;
}
