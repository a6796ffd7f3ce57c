using System.Text.RegularExpressions;
using Cloud.Modules.Kernel.Db;
using Dapper;
using FluentAssertions;

namespace Cloud.Tests.Support;

/// <summary>
/// A cloud that boots real guests, as its users see it: the project's test image uploaded by the admin (berendt) as
/// aki/ari/ami with the real openstack client, alice's key pair from <c>aws ec2 create-key-pair</c>, and waits on what
/// EC2 and the guest's serial console say. Reads the cloud's database for what no API shows (fixed IP rows).
/// </summary>
public sealed class TestImageCloud(ComputeApiCloud compute)
{
    public const string KeyName = "mykey";

    public ComputeApiCloud Compute { get; } = compute;

    public string KernelId { get; private set; } = "";

    public string RamdiskId { get; private set; } = "";

    public string MachineImageId { get; private set; } = "";

    /// <summary>alice's private key file (0600).</summary>
    public string PrivateKeyFile => Path.Combine(Compute.Home, $"{KeyName}.priv");

    public string PublicKey { get; private set; } = "";

    public IDbConnectionFactory Db { get; } = DbConnectionFactory.FromUrl(compute.Cloud.SqlConnection);

    public async Task UploadAsync()
    {
        var image = await TestImage.DirectoryAsync();
        KernelId = await OpenstackAsync("berendt", "image", "create", "--public", "--disk-format", "aki", "--container-format", "aki",
            "--file", Path.Combine(image, "vmlinuz"), "-f", "value", "-c", "id", "tinyvm-kernel");
        RamdiskId = await OpenstackAsync("berendt", "image", "create", "--public", "--disk-format", "ari", "--container-format", "ari",
            "--file", Path.Combine(image, "initrd.img"), "-f", "value", "-c", "id", "tinyvm-ramdisk");
        MachineImageId = await OpenstackAsync("berendt", "image", "create", "--public", "--disk-format", "qcow2", "--container-format", "bare",
            "--property", $"kernel_id={KernelId}", "--property", $"ramdisk_id={RamdiskId}",
            "--file", Path.Combine(image, "rootfs.qcow2"), "-f", "value", "-c", "id", "tinyvm");
        var material = await AwsAsync("create-key-pair", "--key-name", KeyName, "--query", "KeyMaterial", "--output", "text");
        await File.WriteAllTextAsync(PrivateKeyFile, material + "\n");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(PrivateKeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        PublicKey = (await ExternalTool.RunAsync("/usr/bin/ssh-keygen", ["-y", "-f", PrivateKeyFile], Compute.Home)).Stdout.Trim();
    }

    /// <summary><c>aws ec2 run-instances</c> of the test image as alice with her key; returns the instance ids.</summary>
    public async Task<string[]> RunAsync(params string[] extra)
    {
        var ami = await AwsAsync("describe-images", "--query", "Images[?Name=='tinyvm'].ImageId", "--output", "text");
        ami.Should().StartWith("ami-");
        return (await AwsAsync(["run-instances", "--image-id", ami, "--instance-type", "m1.tiny", "--key-name", KeyName,
            .. extra, "--query", "Instances[].InstanceId", "--output", "text"]))
            .Split(['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Runs a command on a guest over ssh as root with alice's key, from inside <paramref name="from"/>.</summary>
    public Task<ToolRun> SshAsync(NetworkNamespace from, string address, string command, int connectTimeoutSeconds = 10) =>
        from.ExecAsync("/usr/bin/ssh",
        [
            "-i", PrivateKeyFile, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
            "-o", $"ConnectTimeout={connectTimeoutSeconds}", $"root@{address}", command,
        ], TimeSpan.FromSeconds(60 + connectTimeoutSeconds));

    /// <summary>Runs the openstack client as the user and fails the test unless it succeeds; returns stdout.</summary>
    public async Task<string> OpenstackAsync(string user, params string[] args)
    {
        var run = await Compute.OpenstackAsync(user, args);
        run.ExitCode.Should().Be(0, "openstack {0}: {1}", string.Join(' ', args), run);
        return run.Stdout.Trim();
    }

    /// <summary>Runs aws ec2 as alice and fails the test unless it succeeds; returns stdout.</summary>
    public async Task<string> AwsAsync(params string[] args)
    {
        var run = await Compute.AwsAsync("alice", args);
        run.ExitCode.Should().Be(0, "aws ec2 {0}: {1}", string.Join(' ', args), run);
        return run.Stdout.Trim();
    }

    /// <summary>Waits until the instance's console (<c>get-console-output</c>) shows <paramref name="pattern"/>; returns the match.</summary>
    public async Task<Match> ConsoleShowsAsync(string ec2InstanceId, string pattern, TimeSpan? timeout = null)
    {
        Match? found = null;
        var regex = new Regex(pattern, RegexOptions.Multiline);
        var last = "";
        await Poller.UntilAsync(async () =>
        {
            var run = await Compute.AwsAsync("alice", "get-console-output", "--instance-id", ec2InstanceId, "--output", "text", "--query", "Output");
            last = run.ExitCode == 0 ? run.Stdout : run.ToString();
            found = regex.Match(run.Stdout);
            return found.Success;
        }, timeout ?? TimeSpan.FromMinutes(4), $"the console of {ec2InstanceId} to show /{pattern}/ (last output: {last})");
        return found!;
    }

    /// <summary>Waits until EC2 reports the instance in <paramref name="state"/>; an instance in error fails the wait at once.</summary>
    public async Task StateIsAsync(string ec2InstanceId, string state, TimeSpan? timeout = null)
    {
        var now = "";
        await Poller.UntilAsync(async () =>
        {
            now = (await Compute.AwsAsync("alice", "describe-instances", "--instance-ids", ec2InstanceId, "--query", "Reservations[].Instances[].State.Name", "--output", "text")).Stdout.Trim();
            return now == state || (now == "error" && state != "error");
        }, timeout ?? TimeSpan.FromMinutes(4), $"{ec2InstanceId} to be {state}");
        var reason = await Compute.AwsAsync("alice", "describe-instances", "--instance-ids", ec2InstanceId, "--query", "Reservations[].Instances[].StateReason.Message", "--output", "text");
        now.Should().Be(state, "{0} went to {1}: {2}", ec2InstanceId, now, reason.Stdout);
    }

    /// <summary>The instance's UUID for its EC2 id (i-%08x of its row id).</summary>
    public async Task<string> UuidOfAsync(string ec2InstanceId)
    {
        await using var c = await Db.OpenAsync(default);
        return await c.QuerySingleAsync<string>("SELECT uuid FROM instances WHERE id = @Id",
            new { Id = long.Parse(ec2InstanceId[2..], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) });
    }

    /// <summary>The instance's EC2 id for its UUID.</summary>
    public async Task<string> Ec2IdOfAsync(string uuid)
    {
        await using var c = await Db.OpenAsync(default);
        return $"i-{await c.QuerySingleAsync<long>("SELECT id FROM instances WHERE uuid = @Uuid", new { Uuid = uuid }):x8}";
    }

    /// <summary>The fixed IPs dnsmasq's lease script (<c>cloudd dhcpbridge</c>) has marked leased.</summary>
    public async Task<IReadOnlyList<string>> LeasedAsync()
    {
        await using var c = await Db.OpenAsync(default);
        return (await c.QueryAsync<string>("SELECT address FROM fixed_ips WHERE leased = 1")).AsList();
    }

    /// <summary>The fixed IPs allocated now, with their instances.</summary>
    public async Task<IReadOnlyList<(string Address, string Instance)>> AllocatedAsync()
    {
        await using var c = await Db.OpenAsync(default);
        return (await c.QueryAsync<(string, string)>("SELECT address, instance_uuid FROM fixed_ips WHERE allocated = 1")).AsList();
    }
}
