using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.EndToEnd;

/// <summary>
/// The project's bootable test image (scripts/make-test-image.sh), which the instance tests boot, does what
/// they rely on: scripts/check-test-image.sh boots it under TCG on an isolated host in a network namespace
/// of its own (bridge, dnsmasq, a metadata service behind the 169.254.169.254 DNAT) and checks the DHCP
/// address, the metadata and config-drive markers, ping, HTTP, <c>ssh -i</c>, hot-plug and power-off.
/// Needs root and libvirt (scripts/virt-host.sh up); CI runs it as root.
/// </summary>
[Category("EndToEnd")]
public sealed class TestImageTests
{
    private static readonly TimeSpan BootCheckTimeout = TimeSpan.FromMinutes(10);

    [Test]
    public async Task The_test_image_boots_takes_its_address_and_key_from_the_cloud_and_lets_the_key_log_in()
    {
        TestEnv.RequireRoot();
        var root = RepositoryRoot();
        var environment = new Dictionary<string, string>();
        if (Environment.GetEnvironmentVariable("CLOUD_TEST_IMAGE_DIR") is { Length: > 0 } imageDir)
        {
            environment["CLOUD_TEST_IMAGE_DIR"] = imageDir;
        }

        var run = await ExternalTool.RunAsync(
            "/bin/bash",
            [Path.Combine(root, "scripts", "check-test-image.sh"), "--config-drive", "--netns", $"cloudd-image-t{Environment.ProcessId}"],
            root, environment: environment, timeout: BootCheckTimeout);

        run.ExitCode.Should().Be(0, run.ToString());
        run.Stderr.Should().Contain("PASSED: start -> READY");
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "scripts", "check-test-image.sh")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("scripts/check-test-image.sh not found above the test directory");
    }
}
