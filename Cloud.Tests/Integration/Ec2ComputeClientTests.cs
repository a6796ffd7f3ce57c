using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The EC2 compute actions driven by the real awscli and boto3 against a cloudd running api, scheduler, compute (fake
/// test-double driver) and glance: key pairs, security group rules, images, instances, isolation and bad input.
/// </summary>
[NonParallelizable]
[Category("Integration")]
public sealed class Ec2ComputeClientTests
{
    private ComputeApiCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await ComputeApiCloud.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    private async Task<string> AwsOkAsync(string user, params string[] args)
    {
        var run = await _cloud.AwsAsync(user, [.. args, "--output", "text"]);
        run.ExitCode.Should().Be(0, $"aws ec2 {string.Join(' ', args)}: {run}\n{_cloud.Cloud.Logs}");
        return run.Stdout;
    }

    private async Task<string> AwsErrorAsync(string user, params string[] args)
    {
        var run = await _cloud.AwsAsync(user, args);
        run.ExitCode.Should().NotBe(0, $"aws ec2 {string.Join(' ', args)} should have been refused: {run.Stdout}");
        return run.Stderr;
    }

    private async Task<string> AmiAsync(string user)
    {
        var images = await AwsOkAsync(user, "describe-images", "--query", "Images[?Name=='ttylinux'].ImageId");
        return images.Trim();
    }

    [Test]
    public async Task Awscli_creates_a_key_pair_opens_ssh_and_ping_runs_two_instances_describes_and_terminates_them()
    {
        var key = await AwsOkAsync("alice", "create-key-pair", "--key-name", "ek1", "--query", "KeyMaterial");
        key.Should().Contain("PRIVATE KEY");
        await AwsOkAsync("alice", "authorize-security-group-ingress", "--group-name", "default", "--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0");
        await AwsOkAsync("alice", "authorize-security-group-ingress", "--group-name", "default", "--protocol", "icmp", "--port", "-1", "--cidr", "0.0.0.0/0");
        var groups = await AwsOkAsync("alice", "describe-security-groups", "--group-names", "default");
        groups.Should().Contain("tcp").And.Contain("22").And.Contain("icmp").And.Contain("0.0.0.0/0");
        var ami = await AmiAsync("alice");
        ami.Should().MatchRegex("^ami-[0-9a-f]{8}$");
        (await AmiAsync("alice")).Should().Be(ami, "EC2 image ids are stable");

        var run = await AwsOkAsync("alice", "run-instances", "--image-id", ami, "--count", "2", "--instance-type", "m1.tiny", "--key-name", "ek1",
            "--query", "Instances[].[InstanceId,AmiLaunchIndex]");
        var ids = run.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]).ToList();
        ids.Should().HaveCount(2).And.OnlyContain(id => id.StartsWith("i-"));

        string described = "";
        await Poller.UntilAsync(async () =>
        {
            described = await AwsOkAsync("alice", "describe-instances", "--instance-ids", ids[0], ids[1],
                "--query", "Reservations[].Instances[].[InstanceId,State.Name,State.Code,InstanceType,KeyName,AmiLaunchIndex,Placement.AvailabilityZone]");
            return described.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains("\trunning\t16\t", StringComparison.Ordinal)) == 2;
        }, TimeSpan.FromSeconds(60), "both instances to run");
        described.Should().Contain("m1.tiny").And.Contain("ek1").And.Contain("\t0\t").And.Contain("\t1\t").And.Contain("nova");
        var reservations = await AwsOkAsync("alice", "describe-instances", "--instance-ids", ids[0], "--query", "Reservations[].ReservationId");
        reservations.Trim().Should().MatchRegex("^r-[0-9a-z]{8}$");

        var terminated = await AwsOkAsync("alice", "terminate-instances", "--instance-ids", ids[0], ids[1], "--query", "TerminatingInstances[].PreviousState.Name");
        terminated.Should().Contain("running");
        await Poller.UntilAsync(async () =>
        {
            var states = await AwsOkAsync("alice", "describe-instances", "--instance-ids", ids[0], ids[1], "--query", "Reservations[].Instances[].State.Name");
            return states.Split(['\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Count(s => s == "terminated") == 2;
        }, TimeSpan.FromSeconds(60), "both instances to be terminated");
    }

    [Test]
    public async Task Boto3_stops_starts_reboots_reads_the_console_and_filters_instances()
    {
        var ami = await AmiAsync("carol");
        const string script = """
            import sys, time, base64
            r = ec2.run_instances(ImageId=sys.argv[1], MinCount=1, MaxCount=1, InstanceType='m1.small',
                UserData='echo hi', Placement={'AvailabilityZone': 'nova'})
            iid = r['Instances'][0]['InstanceId']
            # Poll about once a second.
            def state():
                time.sleep(1.1)
                return ec2.describe_instances(InstanceIds=[iid])['Reservations'][0]['Instances'][0]['State']['Name']
            def wait(name):
                for _ in range(60):
                    if state() == name: return
                raise SystemExit('never ' + name + ', still ' + state())
            wait('running')
            ec2.stop_instances(InstanceIds=[iid]); wait('stopped')
            ec2.start_instances(InstanceIds=[iid]); wait('running')
            ec2.reboot_instances(InstanceIds=[iid])
            out = ec2.get_console_output(InstanceId=iid)
            print('console', out['InstanceId'] == iid, 'Output' in out)
            f = ec2.describe_instances(Filters=[{'Name': 'instance-type', 'Values': ['m1.small']}, {'Name': 'instance-state-name', 'Values': ['running']}])
            print('filtered', [i['InstanceId'] for res in f['Reservations'] for i in res['Instances']] == [iid])
            none = ec2.describe_instances(Filters=[{'Name': 'key-name', 'Values': ['nokey']}])
            print('none', none['Reservations'] == [])
            try:
                ec2.describe_instances(Filters=[{'Name': 'no-such-filter', 'Values': ['x']}])
            except botocore.exceptions.ClientError as e:
                print('unknown filter', e.response['Error']['Code'])
            ec2.terminate_instances(InstanceIds=[iid])
            """;
        var python = ExternalTool.Require("/usr/bin/python3", "python3-boto3");
        var run = await _cloud.Boto3Async("carol", script.Replace("sys.argv[1]", $"'{ami}'", StringComparison.Ordinal));

        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Contain("console True True").And.Contain("filtered True").And.Contain("none True")
            .And.Contain("unknown filter InvalidParameterValue");
        python.Should().NotBeEmpty();
    }

    [Test]
    public async Task A_project_cannot_see_or_terminate_another_projects_instances_key_pairs_or_groups()
    {
        var ami = await AmiAsync("alice");
        await AwsOkAsync("alice", "create-key-pair", "--key-name", "alice-only");
        await AwsOkAsync("alice", "create-security-group", "--group-name", "alice-web", "--description", "web");
        var id = (await AwsOkAsync("alice", "run-instances", "--image-id", ami, "--count", "1", "--instance-type", "m1.tiny", "--query", "Instances[0].InstanceId")).Trim();

        (await AwsErrorAsync("carol", "describe-instances", "--instance-ids", id)).Should().Contain("InvalidInstanceID.NotFound");
        (await AwsErrorAsync("carol", "terminate-instances", "--instance-ids", id)).Should().Contain("InvalidInstanceID.NotFound");
        (await AwsErrorAsync("carol", "reboot-instances", "--instance-ids", id)).Should().Contain("InvalidInstanceID.NotFound");
        (await AwsOkAsync("carol", "describe-instances")).Should().NotContain(id);
        (await AwsErrorAsync("carol", "describe-key-pairs", "--key-names", "alice-only")).Should().Contain("InvalidKeyPair.NotFound");
        (await AwsErrorAsync("carol", "describe-security-groups", "--group-names", "alice-web")).Should().Contain("InvalidGroup.NotFound");
        (await AwsErrorAsync("carol", "delete-security-group", "--group-name", "alice-web")).Should().Contain("InvalidGroup.NotFound");
        (await AwsOkAsync("alice", "describe-instances", "--instance-ids", id)).Should().Contain(id);
        await AwsOkAsync("alice", "terminate-instances", "--instance-ids", id);
    }

    [Test]
    public async Task Bad_input_gets_ec2_error_codes_and_creates_nothing()
    {
        var ami = await AmiAsync("carol");
        await AwsOkAsync("carol", "create-key-pair", "--key-name", "dup");
        var before = await AwsOkAsync("carol", "describe-instances", "--query", "length(Reservations[])");

        (await AwsErrorAsync("carol", "run-instances", "--image-id", "ami-0badc0de", "--count", "1", "--instance-type", "m1.tiny")).Should().Contain("InvalidAMIID.NotFound");
        (await AwsErrorAsync("carol", "run-instances", "--image-id", ami, "--count", "1", "--instance-type", "m9.huge")).Should().Contain("InvalidParameterValue");
        (await AwsErrorAsync("carol", "run-instances", "--image-id", ami, "--count", "1", "--instance-type", "m1.tiny", "--key-name", "nokey")).Should().Contain("InvalidKeyPair.NotFound");
        (await AwsErrorAsync("carol", "run-instances", "--image-id", ami, "--count", "1", "--instance-type", "m1.tiny", "--security-groups", "nogroup")).Should().Contain("InvalidGroup.NotFound");
        (await AwsErrorAsync("carol", "run-instances", "--image-id", ami, "--count", "-2", "--instance-type", "m1.tiny")).Should().Contain("InvalidParameterValue");
        (await AwsErrorAsync("carol", "run-instances", "--image-id", ami, "--count", "500", "--instance-type", "m1.tiny")).Should().Contain("InstanceLimitExceeded");
        (await AwsErrorAsync("carol", "create-key-pair", "--key-name", "dup")).Should().Contain("InvalidKeyPair.Duplicate");
        (await AwsErrorAsync("carol", "create-security-group", "--group-name", "default", "--description", "again")).Should().Contain("InvalidGroup.Duplicate");
        (await AwsErrorAsync("carol", "authorize-security-group-ingress", "--group-name", "default", "--protocol", "tcp", "--port", "22", "--cidr", "10.0.0.300/8")).Should().Contain("InvalidParameterValue");
        (await AwsErrorAsync("carol", "authorize-security-group-ingress", "--group-name", "default", "--protocol", "tcp", "--port", "70000", "--cidr", "10.0.0.0/8")).Should().Contain("InvalidParameterValue");
        await AwsOkAsync("carol", "authorize-security-group-ingress", "--group-name", "default", "--protocol", "tcp", "--port", "80", "--cidr", "10.0.0.0/8");
        (await AwsErrorAsync("carol", "authorize-security-group-ingress", "--group-name", "default", "--protocol", "tcp", "--port", "80", "--cidr", "10.0.0.0/8")).Should().Contain("InvalidPermission.Duplicate");
        (await AwsErrorAsync("carol", "terminate-instances", "--instance-ids", "i-7fffffff")).Should().Contain("InvalidInstanceID.NotFound");
        (await AwsErrorAsync("carol", "describe-instances", "--filters", "Name=instance-type")).Should().Contain("InvalidParameterValue");

        (await AwsOkAsync("carol", "describe-instances", "--query", "length(Reservations[])")).Should().Be(before, "no refused request leaves an instance behind");
        (await AwsOkAsync("carol", "describe-security-groups", "--group-names", "default", "--query", "length(SecurityGroups[0].IpPermissions)")).Trim().Should().Be("1");
    }

    [Test]
    public async Task Images_are_registered_described_by_stable_id_and_deregistered()
    {
        var registered = (await AwsOkAsync("alice", "register-image", "--name", "bundle", "--architecture", "x86_64")).Trim();
        registered.Should().MatchRegex("^ami-[0-9a-f]{8}$");
        (await AwsOkAsync("alice", "describe-images", "--image-ids", registered, "--query", "Images[0].[Name,State]")).Should().Contain("bundle").And.Contain("pending");
        (await AwsErrorAsync("carol", "describe-images", "--image-ids", registered)).Should().Contain("InvalidAMIID.NotFound");
        await AwsOkAsync("alice", "deregister-image", "--image-id", registered);
        (await AwsErrorAsync("alice", "describe-images", "--image-ids", registered)).Should().Contain("InvalidAMIID.NotFound");
    }

    [Test]
    public async Task Imported_key_pairs_keep_their_fingerprint_and_delete_is_idempotent()
    {
        var publicKey = Path.Combine(_cloud.Home, "id_test.pub");
        var ssh = await ExternalTool.RunAsync(ExternalTool.Require("/usr/bin/ssh-keygen", "openssh-client"),
            ["-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(_cloud.Home, "id_test")], _cloud.Home);
        ssh.ExitCode.Should().Be(0, ssh.ToString());

        var imported = await AwsOkAsync("alice", "import-key-pair", "--key-name", "imported", "--public-key-material", $"fileb://{publicKey}");
        imported.Should().Contain("imported");
        (await AwsOkAsync("alice", "describe-key-pairs", "--key-names", "imported")).Should().Contain("imported");
        await AwsOkAsync("alice", "delete-key-pair", "--key-name", "imported");
        await AwsOkAsync("alice", "delete-key-pair", "--key-name", "imported");
        (await AwsErrorAsync("alice", "describe-key-pairs", "--key-names", "imported")).Should().Contain("InvalidKeyPair.NotFound");
    }
}
