using System.Text;
using Cloud.Modules.Identity.Ec2;

namespace Cloud.Tests.Unit.Identity;

/// <summary>Requests shaped like awscli's, signed by <see cref="Ec2RequestSigner"/> at a chosen time.</summary>
internal static class Ec2TestRequests
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 2, 3, 45, TimeSpan.Zero);
    public static readonly Ec2Secret Secret = new("admin:demo", "s3cr3t/+=key", "user-1", "project-1");

    public const string EndpointHost = "127.0.0.1:8773";
    public const string EndpointPath = "/services/Cloud";
    public const string FormType = "application/x-www-form-urlencoded; charset=utf-8";

    public static Ec2Secret? Lookup(string accessKey) => accessKey == Secret.AccessKey ? Secret : null;

    /// <summary>An unsigned POST with <paramref name="body"/> as its form.</summary>
    public static Ec2Request Post(string body = "Action=DescribeInstances&Version=2016-11-15", params KeyValuePair<string, string>[] extraHeaders) =>
        Ec2Request.FromRaw("POST", EndpointHost, EndpointPath, null, [new("Host", EndpointHost), new("Content-Type", FormType), .. extraHeaders],
            Encoding.UTF8.GetBytes(body));

    /// <summary>An unsigned GET with <paramref name="query"/> as sent.</summary>
    public static Ec2Request Get(string query) =>
        Ec2Request.FromRaw("GET", EndpointHost, EndpointPath, query, [new("Host", EndpointHost)], ReadOnlyMemory<byte>.Empty);

    public static Ec2Request SignedPost(DateTimeOffset? at = null, string body = "Action=DescribeInstances&Version=2016-11-15") =>
        Ec2RequestSigner.SignV4(Post(body), Secret.AccessKey, Secret.SecretKey, "nova", "ec2", at ?? Now);

    /// <summary>The request with an <c>Authorization</c> header that has a valid date but the given text.</summary>
    public static Ec2Request WithAuthorization(string authorization, string amzDate = "20261125T020345Z")
    {
        var dated = Ec2RequestSigner.WithHeader(Post(), "X-Amz-Date", amzDate);
        return Ec2RequestSigner.WithHeader(dated, "Authorization", authorization);
    }

    public static Ec2SignatureVerifier Verifier(DateTimeOffset? now = null) =>
        new(new Support.ManualClock(now ?? Now));
}
