using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12, hole 15: CreateSecurityGroup took a name with a NUL (200), after which DescribeSecurityGroups answered
/// 500 for the whole project until the group was deleted, because the XML writer threw on the character. Names and
/// descriptions are now EC2's printable ASCII (InvalidParameterValue), and no EC2 answer is ever invalid XML: a
/// tenant's stored text that XML cannot carry (here an image name from the glance API) is written as U+FFFD.
/// </summary>
[Category("Integration")]
public sealed class Bug0012_15_NulInEc2SecurityGroupName
{
    private ComputeApiCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await ComputeApiCloud.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }
    }

    [TestCase("GroupName='bad\\x00name', Description='d'", "GroupName")]
    [TestCase("GroupName='tab\\tname', Description='d'", "GroupName")]
    [TestCase("GroupName='fine', Description='nul\\x00here'", "GroupDescription")]
    [TestCase("GroupName='x' * 256, Description='d'", "GroupName")]
    public async Task A_group_name_or_description_EC2_would_refuse_is_InvalidParameterValue_and_describe_still_works(string args, string parameter)
    {
        var run = await _cloud.Boto3Async("alice", $$"""
            try:
                ec2.create_security_group({{args}})
                print('CREATED')
            except botocore.exceptions.ClientError as e:
                print('ERROR', e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Code'], e.response['Error']['Message'])
            print('GROUPS', sorted(g['GroupName'] for g in ec2.describe_security_groups()['SecurityGroups']))
            """);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain($"ERROR 400 InvalidParameterValue").And.Contain($"for parameter {parameter} is invalid");
        run.Stdout.Should().Contain("GROUPS ['default']", "nothing was created and the project's groups still describe");
    }

    [Test]
    public async Task Stored_text_that_XML_cannot_carry_is_written_as_a_replacement_character()
    {
        var token = await _cloud.TokenAsync("alice");
        await _cloud.Glance.CreateAsync(token, new { name = "odd\u0001name\u0000end", disk_format = "raw", container_format = "bare" });

        var run = await _cloud.AwsAsync("alice", "describe-images", "--owners", "self", "--output", "json");

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain("\"Name\": \"odd\ufffdname\ufffdend\"", "each character XML cannot carry became U+FFFD");
    }
}
