using System.Xml.Linq;
using Cloud.Modules.Identity.Ec2;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Identity;

public sealed class Ec2ErrorResponseTests
{
    [Test]
    public void The_error_body_has_the_shape_botocore_parses()
    {
        Ec2ErrorResponse.Build("AuthFailure", "Nope.", "req-1").Should().Be(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>AuthFailure</Code><Message>Nope.</Message></Error></Errors>"
            + "<RequestID>req-1</RequestID></Response>");
    }

    [Test]
    public void Markup_and_control_characters_in_a_message_are_escaped_so_the_document_still_parses()
    {
        var xml = Ec2ErrorResponse.Build("InvalidParameterValue", "a <b> & \"c\" 'd' \u0001 \uD800 \U0001F600", "req-<2>");

        var document = XDocument.Parse(xml);
        document.Root!.Element("Errors")!.Element("Error")!.Element("Message")!.Value.Should().Be("a <b> & \"c\" 'd' \uFFFD \uFFFD \U0001F600");
        document.Root.Element("RequestID")!.Value.Should().Be("req-<2>");
    }

    [Test]
    public void A_failed_verification_renders_its_code_and_message()
    {
        var failure = Ec2VerificationResult.Failure(Ec2ErrorCodes.RequestExpired, "Request has expired.");

        XDocument.Parse(Ec2ErrorResponse.Build(failure, "req-3")).Descendants("Code").Single().Value.Should().Be("RequestExpired");
        failure.HttpStatus.Should().Be(400);
    }

    [Test]
    public void A_successful_verification_has_no_error_body()
    {
        var success = Ec2VerificationResult.Success(new Ec2Secret("a", "s"), "DescribeRegions", 4);

        ((Action)(() => Ec2ErrorResponse.Build(success, "req-4"))).Should().Throw<ArgumentException>();
    }
}
