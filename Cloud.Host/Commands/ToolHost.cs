using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Host.Commands;

/// <summary>Runs an operator command inside a host with every module's client side and no role.</summary>
public static class ToolHost
{
    public static void SetAction(Command command, Func<ParseResult, IServiceProvider, CancellationToken, Task<int>> action) =>
        command.SetAction((parse, ct) => CloudCommand.GuardAsync(async () =>
        {
            var flags = CloudCommand.Flags(parse);
            using var host = CloudHostFactory.Build(flags, []);
            await using var scope = host.Services.CreateAsyncScope();
            return await action(parse, scope.ServiceProvider, ct).ConfigureAwait(false);
        }));
}
