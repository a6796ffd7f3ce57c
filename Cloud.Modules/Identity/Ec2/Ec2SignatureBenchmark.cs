using System.Diagnostics;
using System.Text;

namespace Cloud.Modules.Identity.Ec2;

/// <summary>Measures <see cref="Ec2SignatureVerifier"/> throughput, for <c>cloudd bench</c>.</summary>
public static class Ec2SignatureBenchmark
{
    /// <summary>
    /// Verifies one awscli-shaped SigV4 request (<c>POST /services/Cloud</c>, <c>Action=DescribeInstances</c>,
    /// <c>content-type;host;x-amz-date</c> signed) <paramref name="iterations"/> times on the calling thread,
    /// the secret looked up in memory, after a warm-up of up to 1,000 verifications.
    /// Request parsing (<see cref="Ec2Request.FromRaw"/>) is not timed.
    /// </summary>
    /// <returns>Verifications per second.</returns>
    public static double Run(int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var secret = new Ec2Secret("bench-access", "bench-secret-key");
        var unsigned = Ec2Request.FromRaw("POST", "127.0.0.1:8773", "/services/Cloud", null,
            [new("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
            Encoding.UTF8.GetBytes("Action=DescribeInstances&Version=2016-11-15"));
        var request = Ec2RequestSigner.SignV4(unsigned, secret.AccessKey, secret.SecretKey, "nova", "ec2", DateTimeOffset.UtcNow);
        var verifier = new Ec2SignatureVerifier(TimeProvider.System);
        Ec2Secret? Lookup(string accessKey) => accessKey == secret.AccessKey ? secret : null;

        for (var i = 0; i < Math.Min(iterations, 1000); i++)
        {
            Check(verifier.Verify(request, Lookup));
        }
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            Check(verifier.Verify(request, Lookup));
        }
        return iterations / clock.Elapsed.TotalSeconds;
    }

    private static void Check(Ec2VerificationResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"The benchmark request failed verification: {result.ErrorCode}: {result.Message}");
        }
    }
}
