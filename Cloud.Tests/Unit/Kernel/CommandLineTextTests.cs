using Cloud.Modules.Kernel.Host;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

/// <summary>Command lines as the seam logs them and puts them in errors: secrets hidden, everything else as run.</summary>
public sealed class CommandLineTextTests
{
    [TestCase(new[] { "tgtadm", "--op", "new", "--mode", "account", "--user", "u1", "--password", "s3cret" },
        "tgtadm --op new --mode account --user u1 --password ***")]
    [TestCase(new[] { "tool", "--password=s3cret", "--secret", "x", "--passwd", "y" }, "tool --password=*** --secret *** --passwd ***")]
    [TestCase(new[] { "ip", "link", "show", "dev", "password" }, "ip link show dev password")]
    public void Secret_options_have_their_values_hidden(string[] command, string shown) =>
        CommandLineText.Of(command).Should().Be(shown);

    [Test]
    public async Task A_failed_command_names_its_line_without_the_secret()
    {
        var runner = new CommandRunner([], NullLogger<CommandRunner>.Instance);

        var run = () => runner.RunAsync(["sh", "-c", "exit 3", "--password", "s3cret"], default);

        (await run.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("--password ***").And.NotContain("s3cret");
    }
}
