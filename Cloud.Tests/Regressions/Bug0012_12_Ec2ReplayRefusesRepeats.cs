using System.Net;
using System.Text;
using Cloud.Modules.Identity.Ec2;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12, hole 12: the EC2 endpoint refused a repeat of an identically signed request ("replayed"), so two
/// identical calls in one second (SigV4 signs to the second) got AuthFailure. AWS accepts any correctly signed
/// request within its 15-minute window; the window and the signed body hash are what protect a request.
/// </summary>
[NonParallelizable]
[Category("Integration")]
public sealed class Bug0012_12_Ec2ReplayRefusesRepeats
{
    private const string FormType = "application/x-www-form-urlencoded; charset=utf-8";
    private const string Body = "Action=DescribeRegions&Version=2016-11-15";

    private ApiCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await ApiCloud.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    private async Task<Ec2Request> SignedAsync(DateTimeOffset at, string body = Body)
    {
        var (access, secret) = await _cloud.Ec2KeysAsync("alice");
        var url = new Uri(_cloud.Ec2Url);
        var host = $"{url.Host}:{url.Port}";
        var unsigned = Ec2Request.FromRaw("POST", host, url.AbsolutePath, null, [new("Host", host), new("Content-Type", FormType)], Encoding.UTF8.GetBytes(body));
        return Ec2RequestSigner.SignV4(unsigned, access, secret, "nova", "ec2", at);
    }

    /// <summary>Sends exactly the signed headers, with <paramref name="body"/> (the signed one unless tampered with).</summary>
    private async Task<(HttpStatusCode Status, string Text)> SendAsync(HttpClient http, Ec2Request signed, string body = Body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _cloud.Ec2Url) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", FormType).Should().BeTrue();
        request.Headers.TryAddWithoutValidation("X-Amz-Date", signed.GetHeader("X-Amz-Date")).Should().BeTrue();
        request.Headers.TryAddWithoutValidation("Authorization", signed.GetHeader("Authorization")).Should().BeTrue();
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task The_same_signed_request_sent_again_and_concurrently_within_its_window_is_accepted()
    {
        using var http = new HttpClient();
        var signed = await SignedAsync(DateTimeOffset.UtcNow);

        var first = await SendAsync(http, signed);
        var second = await SendAsync(http, signed);
        var burst = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SendAsync(http, signed)));

        first.Status.Should().Be(HttpStatusCode.OK, first.Text);
        second.Status.Should().Be(HttpStatusCode.OK, $"a repeat within the window is legitimate on AWS: {second.Text}");
        burst.Should().OnlyContain(r => r.Status == HttpStatusCode.OK, "identical concurrent calls are all legitimate");
        second.Text.Should().Contain("nova");
    }

    [Test]
    public async Task A_signature_outside_the_15_minute_window_or_over_another_body_is_still_refused()
    {
        using var http = new HttpClient();

        var old = await SendAsync(http, await SignedAsync(DateTimeOffset.UtcNow.AddMinutes(-20)));
        var tampered = await SendAsync(http, await SignedAsync(DateTimeOffset.UtcNow), "Action=DescribeInstances&Version=2016-11-15");

        old.Status.Should().Be(HttpStatusCode.BadRequest, old.Text);
        old.Text.Should().Contain("RequestExpired");
        tampered.Status.Should().Be(HttpStatusCode.Forbidden, tampered.Text);
        tampered.Text.Should().Contain("SignatureDoesNotMatch");
    }

    [Test]
    public async Task Awscli_calls_made_in_the_same_second_all_succeed()
    {
        var aws = ExternalTool.Require("aws", "awscli");
        var (access, secret) = await _cloud.Ec2KeysAsync("alice");
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = access,
            ["AWS_SECRET_ACCESS_KEY"] = secret,
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };

        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ExternalTool.RunAsync(aws,
            ["ec2", "describe-regions", "--endpoint-url", _cloud.Ec2Url, "--region", "nova", "--output", "text"], Path.GetTempPath(), environment: environment)));

        runs.Should().OnlyContain(r => r.ExitCode == 0, string.Join('\n', runs.Select(r => r.Stderr)));
    }
}
