using System.Text.RegularExpressions;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.EndToEnd;

/// <summary>
/// The README's quick start, run as written: its first shell block (the all-in-one) and its second (user, project,
/// images, a server, ssh into it, swift upload and download), taken from README.md at test time so the README cannot
/// drift. It runs on a hypervisor host of its own (a network namespace with its own libvirtd) from a fresh state
/// directory; the `cloudd` command goes to a directory of the test's, and HOME is the test's, so the machine's own
/// `cloudd`, known_hosts and client configuration stay untouched.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed partial class ReadmeQuickStartTests
{
    [Test]
    public async Task The_quick_start_reaches_a_guest_over_ssh_and_the_object_store_from_a_fresh_state()
    {
        TestEnv.RequireRoot();
        var (allInOne, userSteps) = QuickStartBlocks(await File.ReadAllTextAsync(Path.Combine(TestEnv.RepoRoot, "README.md")));
        await using var host = await VirtHost.StartAsync("quickstart");
        using var state = new TempDir().Traversable();
        using var bin = new TempDir();
        using var instances = new TempDir().Traversable();
        using var home = new TempDir();
        using var work = WorkingDirectory(await TestImage.DirectoryAsync());

        // Terminal 1, in the checkout. The script execs down to cloudd itself, so this process is the cloud.
        await using var cloud = BackgroundTool.Start("/bin/bash", host.ExecArguments($"cd {Quote(TestEnv.RepoRoot)} && export CLOUDD_STATE_PATH={Quote(state.Path)} CLOUDD_BIN_DIR={Quote(bin.Path)} "
            + $"CLOUDD_INSTANCES_PATH={Quote(Path.Combine(instances.Path, "instances"))} && {allInOne}"));
        await Poller.UntilAsync(() => Task.FromResult(cloud.Output.Contains("cloudd ready: roles", StringComparison.Ordinal) || cloud.HasExited),
            TimeSpan.FromMinutes(5), "the all-in-one to log that it is ready");
        cloud.HasExited.Should().BeFalse("the all-in-one keeps running:\n{0}", cloud.Output);

        // Terminal 2, in (a stand-in for) the checkout, with the cloudd command on the PATH.
        var run = await ExternalTool.RunAsync("/bin/bash", host.ExecArguments($"export HOME={Quote(home.Path)} PATH={Quote(bin.Path)}:$PATH && cd {Quote(work.Path)} && set -euxo pipefail && {userSteps}"),
            work.Path, timeout: TimeSpan.FromMinutes(10));

        try
        {
            run.ExitCode.Should().Be(0, "every quick-start step succeeds:\n{0}", run);
            run.ToString().Should().Contain("TINYVM: READY").And.Contain("Linux version", "ssh into the guest ran a command there");
            File.Exists(Path.Combine(work.Path, "README.copy")).Should().BeTrue("swift download wrote the object back");
            var glanceObjects = await ExternalTool.RunAsync("/bin/bash", host.ExecArguments($". {Quote(Path.Combine(state.Path, "swift-operator.rc"))} && swift list glance"), work.Path, timeout: TimeSpan.FromMinutes(1));
            glanceObjects.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(name => Guid.TryParse(name, out _))
                .Should().HaveCount(3, "glance keeps the three images (each a manifest over its segments) in the object store: {0}", glanceObjects);
            cloud.Output.Should().NotMatch("*\n   at *", "the all-in-one logs no stack trace");
        }
        finally
        {
            // As Ctrl-C would: dnsmasq and the guests' domains go with the cloud.
            await cloud.TerminateAsync(TimeSpan.FromMinutes(1));
        }
    }

    /// <summary>The quick-start section's two <c>sh</c> blocks: the all-in-one, and the user's steps.</summary>
    private static (string AllInOne, string UserSteps) QuickStartBlocks(string readme)
    {
        var section = readme.Split("\n## Quick start", 2)[1].Split("\n## ", 2)[0];
        var blocks = ShBlock().Matches(section).Select(m => m.Groups[1].Value.Trim()).ToList();
        blocks.Should().HaveCount(2, "the quick start has the all-in-one's block and the user's block");
        return (blocks[0], blocks[1]);
    }

    /// <summary>The README's relative paths (scripts/, .cache/test-image, README.md) in a directory of the test's.</summary>
    private static TempDir WorkingDirectory(string testImage)
    {
        var work = new TempDir().Traversable();
        File.CreateSymbolicLink(Path.Combine(work.Path, "scripts"), Path.Combine(TestEnv.RepoRoot, "scripts"));
        Directory.CreateDirectory(Path.Combine(work.Path, ".cache"));
        File.CreateSymbolicLink(Path.Combine(work.Path, ".cache", "test-image"), testImage);
        File.Copy(Path.Combine(TestEnv.RepoRoot, "README.md"), Path.Combine(work.Path, "README.md"));
        return work;
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("```sh\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShBlock();
}
