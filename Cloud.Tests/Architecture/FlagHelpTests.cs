using System.Reflection;
using System.Text.RegularExpressions;
using Cloud.Host;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using NUnit.Framework;

namespace Cloud.Tests.Architecture;

/// <summary>
/// Each flag's help is written once, in its <c>[Description]</c>: that is what <c>cloudd manage flags</c> prints and
/// the registry reads, so an XML doc on the same property would be a second copy free to drift.
/// </summary>
public sealed partial class FlagHelpTests
{
    [Test]
    public void Every_flag_has_a_description()
    {
        var missing = ModuleCatalog.FlagTypes.SelectMany(FlagProperties)
            .Where(p => string.IsNullOrWhiteSpace(p.GetCustomAttribute<System.ComponentModel.DescriptionAttribute>()?.Description))
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}");
        missing.Should().BeEmpty("the [Description] is the flag's help");
    }

    [Test]
    public void No_flag_carries_its_help_twice()
    {
        var twice = Directory.EnumerateFiles(Path.Combine(TestEnv.RepoRoot, "Cloud.Modules"), "*Flags.cs", SearchOption.AllDirectories)
            .SelectMany(f => DocumentedFlag().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetFileName(f)}: {m.Groups["name"].Value}"));
        twice.Should().BeEmpty("a flag's help is its [Description], not also an XML doc comment");
    }

    [Test]
    public void The_help_test_sees_a_documented_flag()
    {
        const string Source = """
                /// <summary>Seconds between heartbeats.</summary>
                [ConfigurationKeyName("report_interval")]
                [Description("Seconds between heartbeats.")]
                public int ReportInterval { get; set; } = 10;
            """;
        DocumentedFlag().Match(Source).Groups["name"].Value.Should().Be("report_interval");
    }

    private static IEnumerable<PropertyInfo> FlagProperties(Type flags) =>
        flags.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.IsDefined(typeof(ConfigurationKeyNameAttribute)));

    /// <summary>A <c>///</c> line followed, past any other attributes, by a flag's <c>[ConfigurationKeyName]</c>.</summary>
    [GeneratedRegex(@"^[ \t]*///.*\r?\n(?:[ \t]*\[(?!ConfigurationKeyName).*\r?\n)*[ \t]*\[ConfigurationKeyName\(""(?<name>\w+)""\)\]", RegexOptions.Multiline)]
    private static partial Regex DocumentedFlag();
}
