using FluentAssertions;

namespace Cloud.Tests.Support;

/// <summary>The operator's view of a libvirtd: <c>virsh -c URI ...</c>, which must succeed.</summary>
public static class Virsh
{
    public static async Task<string> RunAsync(string uri, params string[] arguments)
    {
        var run = await ExternalTool.RunAsync("/usr/bin/virsh", ["-c", uri, .. arguments], "/tmp");
        run.ExitCode.Should().Be(0, "virsh {0}: {1}", string.Join(' ', arguments), run);
        return run.Stdout;
    }
}
