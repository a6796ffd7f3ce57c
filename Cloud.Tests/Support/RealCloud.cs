using System.Text.RegularExpressions;
using FluentAssertions;

namespace Cloud.Tests.Support;

/// <summary>
/// A whole cloud on one hypervisor host of its own: <see cref="VirtHost"/> (namespace, libvirtd, bus) and inside it
/// one cloudd with every role — api, scheduler, network (FlatDHCP on br100, 10.0.0.0/24, dnsmasq, metadata DNAT),
/// compute (libvirt, TCG) and glance — on SQLite. The project's test image is uploaded as aki/ari/ami by the admin,
/// and alice has a key pair. Clients run outside the namespace against the same loopback URLs.
/// </summary>
public sealed partial class RealCloud : IAsyncDisposable
{
    public const string KeyName = "mykey";

    private RealCloud(VirtHost host, ComputeApiCloud compute)
    {
        Host = host;
        Compute = compute;
    }

    public VirtHost Host { get; }

    public ComputeApiCloud Compute { get; }

    public ApiCloud Api => Compute.Cloud;

    public string KernelId { get; private set; } = "";

    public string RamdiskId { get; private set; } = "";

    public string MachineImageId { get; private set; } = "";

    /// <summary>alice's private key file (0600), as <c>aws ec2 create-key-pair</c> gave it.</summary>
    public string PrivateKeyFile => Path.Combine(Compute.Home, $"{KeyName}.priv");

    public string PublicKey { get; private set; } = "";

    public static async Task<RealCloud> StartAsync(string purpose, params string[] extraFlags)
    {
        var host = await VirtHost.StartAsync(purpose);
        try
        {
            var api = await ApiCloud.StartInAsync(host.Namespace, host.Environment, null, "api,scheduler,network,compute,glance",
                cloud => cloud.ManageAsync("network", "create", "private", "10.0.0.0/24", "1", "256"),
                [
                    "--compute_driver=libvirt", "--libvirt_type=qemu", "--network_manager=FlatDHCPManager", "--flat_network_bridge=br100",
                    "--metadata_host=10.0.0.1", "--metadata_listen=10.0.0.1", "--metadata_port=8775",
                    "--report_interval=1", "--periodic_interval=1", $"--host={purpose}-host", .. extraFlags,
                ]);
            var cloud = new RealCloud(host, await ComputeApiCloud.AroundAsync(api));
            await cloud.Compute.ComputeHostsUpAsync();
            await cloud.UploadTestImageAsync();
            await cloud.CreateKeyPairAsync();
            return cloud;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the openstack client as the user and fails the test unless it succeeds; returns stdout.</summary>
    public async Task<string> OpenstackAsync(string user, params string[] args)
    {
        var run = await Compute.OpenstackAsync(user, args);
        run.ExitCode.Should().Be(0, "openstack {0}: {1}", string.Join(' ', args), run);
        return run.Stdout.Trim();
    }

    /// <summary>Runs aws ec2 as the user and fails the test unless it succeeds; returns stdout.</summary>
    public async Task<string> AwsAsync(string user, params string[] args)
    {
        var run = await Compute.AwsAsync(user, args);
        run.ExitCode.Should().Be(0, "aws ec2 {0}: {1}", string.Join(' ', args), run);
        return run.Stdout.Trim();
    }

    /// <summary>Waits until the instance's console shows <paramref name="pattern"/> and returns the match.</summary>
    public async Task<Match> ConsoleShowsAsync(string ec2InstanceId, string pattern, TimeSpan? timeout = null)
    {
        Match? found = null;
        var regex = new Regex(pattern, RegexOptions.Multiline);
        var last = "";
        await Poller.UntilAsync(async () =>
        {
            var run = await Compute.AwsAsync("alice", "get-console-output", "--instance-id", ec2InstanceId, "--output", "text", "--query", "Output");
            last = run.Stdout;
            found = regex.Match(run.Stdout);
            return found.Success;
        }, timeout ?? TimeSpan.FromMinutes(4), $"the console of {ec2InstanceId} to show /{pattern}/ (last output: {last})");
        return found!;
    }

    /// <summary>Waits until EC2 reports the instance in <paramref name="state"/> (running, stopped, terminated…).</summary>
    public async Task StateIsAsync(string ec2InstanceId, string state, TimeSpan? timeout = null)
    {
        var now = "";
        await Poller.UntilAsync(async () =>
        {
            now = (await Compute.AwsAsync("alice", "describe-instances", "--instance-ids", ec2InstanceId, "--query", "Reservations[].Instances[].State.Name", "--output", "text")).Stdout.Trim();
            return now == state || now == "error" && state != "error";
        }, timeout ?? TimeSpan.FromMinutes(4), $"{ec2InstanceId} to be {state}");
        now.Should().Be(state, "{0} went to {1}", ec2InstanceId, now);
    }

    /// <summary>Waits (up to four minutes: TCG guests boot in seconds, slower on a loaded machine) until the condition holds.</summary>
    public Task UntilAsync(Func<Task<bool>> condition, string what) => Poller.UntilAsync(condition, TimeSpan.FromMinutes(4), what);

    /// <summary>Runs a command on the guest over ssh with alice's key, from inside the host's namespace.</summary>
    public Task<ToolRun> SshAsync(string address, string command) =>
        Host.Namespace.ExecAsync("/usr/bin/ssh",
        [
            "-i", PrivateKeyFile, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=10", $"root@{address}", command,
        ], TimeSpan.FromSeconds(60));

    /// <summary>Pings the guest from the host's bridge (busybox ping: the machine has no ping binary).</summary>
    public Task<ToolRun> PingAsync(string address) =>
        Host.Namespace.ExecAsync("/bin/busybox", ["ping", "-c", "1", "-W", "5", address], TimeSpan.FromSeconds(30));

    private async Task UploadTestImageAsync()
    {
        var image = await TestImage.DirectoryAsync();
        KernelId = await OpenstackAsync("berendt", "image", "create", "--public", "--disk-format", "aki", "--container-format", "aki",
            "--file", Path.Combine(image, "vmlinuz"), "-f", "value", "-c", "id", "tinyvm-kernel");
        RamdiskId = await OpenstackAsync("berendt", "image", "create", "--public", "--disk-format", "ari", "--container-format", "ari",
            "--file", Path.Combine(image, "initrd.img"), "-f", "value", "-c", "id", "tinyvm-ramdisk");
        MachineImageId = await OpenstackAsync("berendt", "image", "create", "--public", "--disk-format", "qcow2", "--container-format", "bare",
            "--property", $"kernel_id={KernelId}", "--property", $"ramdisk_id={RamdiskId}",
            "--file", Path.Combine(image, "rootfs.qcow2"), "-f", "value", "-c", "id", "tinyvm");
    }

    private async Task CreateKeyPairAsync()
    {
        var material = await AwsAsync("alice", "create-key-pair", "--key-name", KeyName, "--query", "KeyMaterial", "--output", "text");
        await File.WriteAllTextAsync(PrivateKeyFile, material + "\n");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(PrivateKeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        PublicKey = (await ExternalTool.RunAsync("/usr/bin/ssh-keygen", ["-y", "-f", PrivateKeyFile], Compute.Home)).Stdout.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        await Compute.DisposeAsync();
        await Host.DisposeAsync();
    }
}
