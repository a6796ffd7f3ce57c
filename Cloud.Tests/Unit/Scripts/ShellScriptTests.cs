using System.Text.RegularExpressions;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Scripts;

/// <summary>
/// The project's shell scripts (scripts/, .ci/run, the test image's guest scripts) pass shellcheck, and none ends a
/// function or itself with a test joined by <c>&amp;&amp;</c>: under <c>set -e</c> a false test there becomes the
/// function's status and silently ends the script (test-services.sh did this on a fresh machine).
/// </summary>
public sealed partial class ShellScriptTests
{
    private static IEnumerable<string> HostScripts() =>
        Directory.GetFiles(Path.Combine(TestEnv.RepoRoot, "scripts"), "*.sh").Append(Path.Combine(TestEnv.RepoRoot, ".ci", "run")).Order();

    private static IEnumerable<string> GuestScripts() => Directory.GetFiles(Path.Combine(TestEnv.RepoRoot, "scripts", "test-image")).Order();

    [Test]
    public async Task Every_script_passes_shellcheck()
    {
        var shellcheck = ExternalTool.Require("shellcheck", "shellcheck");

        var host = await ExternalTool.RunAsync(shellcheck, ["-S", "warning", .. HostScripts()], TestEnv.RepoRoot);
        var guest = await ExternalTool.RunAsync(shellcheck, ["-s", "sh", "-S", "warning", .. GuestScripts()], TestEnv.RepoRoot);

        host.ExitCode.Should().Be(0, host.Stdout);
        guest.ExitCode.Should().Be(0, guest.Stdout);
    }

    [Test]
    public void No_function_or_script_ends_with_a_test_joined_by_and()
    {
        var offenders = new List<string>();
        foreach (var script in HostScripts().Concat(GuestScripts()))
        {
            var lines = File.ReadAllLines(script);
            for (var i = 0; i < lines.Length; i++)
            {
                var endsBody = lines[i].Trim() == "}" || i == lines.Length - 1;
                var last = endsBody ? LastCommandBefore(lines, lines[i].Trim() == "}" ? i : i + 1) : null;
                if (last is { } found && EndsInACommandGuardedByATest(lines[found]))
                {
                    offenders.Add($"{Path.GetRelativePath(TestEnv.RepoRoot, script)}:{found + 1}: {lines[found].Trim()}");
                }
            }
        }

        offenders.Should().BeEmpty("a false test as the last command is the function's (or script's) failing status; write an if");
    }

    private static int? LastCommandBefore(string[] lines, int end)
    {
        for (var i = end - 1; i >= 0; i--)
        {
            var text = lines[i].Trim();
            if (text.Length > 0 && !text.StartsWith('#'))
            {
                return i;
            }
        }
        return null;
    }

    /// <summary><c>[ x ] &amp;&amp; cmd</c>, not a predicate (<c>[ a ] &amp;&amp; [ b ]</c>) nor one with a fallback (<c>|| true</c>).</summary>
    private static bool EndsInACommandGuardedByATest(string line)
    {
        var parts = line.Split("&&");
        return parts.Length > 1 && IsTest().IsMatch(parts[0]) && !IsTest().IsMatch(parts[^1]) && !line.Contains("||", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\s*(\[\[?\s|test\s)")]
    private static partial Regex IsTest();
}
