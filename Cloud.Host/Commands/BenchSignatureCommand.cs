using System.CommandLine;
using System.Globalization;
using Cloud.Modules.Identity.Ec2;

namespace Cloud.Host.Commands;

/// <summary><c>cloudd bench sigv4</c>: EC2 Signature V4 verifications per second on one thread (no replay check).</summary>
public static class BenchSignatureCommand
{
    private static readonly Option<int> Iterations = new("--iterations") { Description = "Verifications to time", DefaultValueFactory = _ => 200_000 };

    public static Command Create()
    {
        var command = new Command("sigv4", "EC2 Signature V4 verifications per second (one thread).") { Iterations };
        command.SetAction(parse =>
        {
            var perSecond = Ec2SignatureBenchmark.Run(parse.GetValue(Iterations));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sigv4 verify, 1 thread: {perSecond:0} verifications/s"));
            return 0;
        });
        return command;
    }
}
