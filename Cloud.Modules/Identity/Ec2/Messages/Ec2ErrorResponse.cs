using System.Text;
using Cloud.Modules.Kernel.IO;

namespace Cloud.Modules.Identity.Ec2;

/// <summary>
/// EC2's error body, the shape botocore parses (<c>Response/Errors/Error/Code|Message</c> and <c>RequestID</c>)
/// and awscli prints as <c>An error occurred (Code) when calling the Action operation: Message</c>.
/// </summary>
public static class Ec2ErrorResponse
{
    /// <summary>The Content-Type EC2 sends with it.</summary>
    public const string ContentType = "text/xml;charset=UTF-8";

    /// <summary>The XML for one error; text is escaped and characters XML cannot carry become U+FFFD.</summary>
    public static string Build(string code, string message, string requestId)
    {
        var builder = new StringBuilder(160 + message.Length);
        builder.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>");
        AppendEscaped(builder, code);
        builder.Append("</Code><Message>");
        AppendEscaped(builder, message);
        builder.Append("</Message></Error></Errors><RequestID>");
        AppendEscaped(builder, requestId);
        return builder.Append("</RequestID></Response>").ToString();
    }

    /// <summary>The XML for a failed verification.</summary>
    public static string Build(Ec2VerificationResult failure, string requestId)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (failure.Succeeded)
        {
            throw new ArgumentException("A successful verification has no error to render.", nameof(failure));
        }
        return Build(failure.ErrorCode, failure.Message, requestId);
    }

    private static void AppendEscaped(StringBuilder builder, string text) =>
        builder.Append(System.Security.SecurityElement.Escape(XmlText.Safe(text)));
}
