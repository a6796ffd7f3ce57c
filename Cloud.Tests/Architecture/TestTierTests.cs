using System.Reflection;
using System.Text.RegularExpressions;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;
using NUnit.Framework.Interfaces;

namespace Cloud.Tests.Architecture;

/// <summary>
/// A test's folder says what it needs and its category decides which tier runs it (build.cake's Test target runs
/// every test without Integration or EndToEnd, and must need nothing): the two agree, or a test that needs MariaDB,
/// libvirt or a started cloudd lands in the fast tier.
/// </summary>
public sealed partial class TestTierTests
{
    private const string Integration = "Integration";
    private const string EndToEnd = "EndToEnd";

    /// <summary>The tier categories each folder's tests may carry (none: the fast tier); Regressions/ holds any.</summary>
    private static readonly Dictionary<string, string?[]> TiersByFolder = new(StringComparer.Ordinal)
    {
        ["Unit"] = [null],
        ["Architecture"] = [null],
        ["Contract"] = [null, Integration],
        ["Integration"] = [Integration],
        ["EndToEnd"] = [EndToEnd],
        ["Regressions"] = [null, Integration, EndToEnd],
    };

    private static readonly string TestsRoot = Path.Combine(TestEnv.RepoRoot, "Cloud.Tests");

    [Test]
    public void Every_test_carries_the_category_of_its_folder()
    {
        var offenders = TestCases()
            .Where(t => !TiersByFolder.TryGetValue(t.Folder, out var allowed) || !allowed.Contains(t.Tier))
            .Select(t => $"{t.Fixture.FullName}.{t.Method}: folder {t.Folder}/, category {t.Tier ?? "none"}")
            .Distinct();

        offenders.Should().BeEmpty("Unit/ and Architecture/ carry no category, Contract/ none or Integration, Integration/ and EndToEnd/ their own");
    }

    [Test]
    public void Every_test_file_is_in_the_namespace_of_its_folder()
    {
        // The folder check above reads folders from namespaces.
        var offenders = Directory.EnumerateFiles(TestsRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(f))
            .Where(f => FileNamespace().Match(File.ReadAllText(f)) is { Success: true } m
                && m.Groups[1].Value != "Cloud.Tests." + Path.GetRelativePath(TestsRoot, Path.GetDirectoryName(f)!).Replace(Path.DirectorySeparatorChar, '.'))
            .Select(f => Path.GetRelativePath(TestsRoot, f));

        offenders.Should().BeEmpty();
    }

    [Test]
    public void A_test_in_the_fast_tier_starts_no_cloudd_and_reaches_no_real_service()
    {
        // A class with an Integration fixture beside its fast one (SQLite and MariaDB) picks the service by fixture
        // argument, so it is not read here: a method of it that starts cloudd carries the category itself. This class
        // names what it looks for.
        var fastFiles = TestCases()
            .GroupBy(t => t.Fixture)
            .Where(fixture => fixture.All(t => t.Tier is null) && fixture.Key != typeof(TestTierTests))
            .Select(fixture => fixture.Key.Name.Split('`')[0])
            .SelectMany(name => Directory.EnumerateFiles(TestsRoot, name + ".cs", SearchOption.AllDirectories));

        var offenders = fastFiles
            .Where(f => NeedsSomething().IsMatch(File.ReadAllText(f)))
            .Select(f => $"{Path.GetRelativePath(TestsRoot, f)}: {NeedsSomething().Match(File.ReadAllText(f)).Value}");

        offenders.Should().BeEmpty("such a test is Integration or EndToEnd, in that folder (or in Regressions/ with that category)");
    }

    private sealed record TierCase(Type Fixture, string Method, string Folder, string? Tier);

    private static IEnumerable<TierCase> TestCases()
    {
        foreach (var type in typeof(TestTierTests).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false, IsNested: false }))
        {
            var tests = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                .Where(m => m.GetCustomAttributes().Any(a => a is ITestBuilder or ISimpleTestBuilder))
                .ToList();
            if (tests.Count == 0)
            {
                continue;
            }
            var folder = type.Namespace!.Split('.')[2];
            var classCategories = type.GetCustomAttributes<CategoryAttribute>(inherit: true).Select(c => c.Name);
            var fixtures = type.GetCustomAttributes<TestFixtureAttribute>().Select(f => f.Category?.Split(',') ?? []).DefaultIfEmpty([]);
            foreach (var fixture in fixtures)
            {
                foreach (var test in tests)
                {
                    var categories = classCategories.Concat(fixture).Concat(test.GetCustomAttributes<CategoryAttribute>().Select(c => c.Name));
                    yield return new TierCase(type, test.Name, folder, TierOf(categories.ToList()));
                }
            }
        }
    }

    /// <summary>The tier a test runs in: EndToEnd wins over Integration (both keep it out of the fast tier).</summary>
    private static string? TierOf(IReadOnlyCollection<string> categories) =>
        categories.Contains(EndToEnd) ? EndToEnd : categories.Contains(Integration) ? Integration : null;

    private static bool IsBuildOutput(string path) =>
        path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    /// <summary>What starts a cloudd process or reaches MariaDB, RabbitMQ, libvirt or a network namespace (Support/).</summary>
    [GeneratedRegex(@"\b(CloudProcess|ApiCloud|ComputeApiCloud|SwiftCluster|SwiftStorageNode|RealCloud|TestImageCloud|TestLibvirt|VirtHost|NetworkNamespace|MySqlHarness|AmqpBusHarness|MemcachedProcess|TgtDaemon)\b")]
    private static partial Regex NeedsSomething();
}
