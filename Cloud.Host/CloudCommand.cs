using System.CommandLine;
using Cloud.Host.Commands;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Db;
using Cloud.Modules.Kernel.Flags;

namespace Cloud.Host;

/// <summary>
/// The <c>cloudd</c> command line. System.CommandLine owns the commands, <c>--roles</c>, <c>--flagfile</c> and
/// <c>--help</c>; every other <c>--name=value</c> token is a flag and goes to the flag layer.
/// Usage and flag errors print one line and exit with 2; runtime failures exit with 1.
/// </summary>
public sealed class CloudCommand
{
    public const int UsageError = 2;
    public const int Failure = 1;

    private readonly RootCommand _root;

    private CloudCommand(RootCommand root) => _root = root;

    /// <summary>Repeatable; later files override earlier ones, flags on the command line override all files.</summary>
    public static readonly Option<string[]> FlagFile = new("--flagfile")
    {
        Description = "nova.conf-style flag file (repeatable; nested --flagfile= lines allowed)",
        Recursive = true,
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public static CloudCommand Create()
    {
        var root = new RootCommand(
            "cloudd: an OpenStack-class IaaS cloud in one binary. Runs the roles named by --roles; "
            + "every other --name=value is a flag (see 'cloudd manage flags').");
        root.Options.Add(FlagFile);
        RunCommand.Configure(root);
        root.Subcommands.Add(ManageCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(RingCommand.Create());
        root.Subcommands.Add(SwiftCommand.Create());
        root.Subcommands.Add(GlanceCommand.Create());
        root.Subcommands.Add(DhcpBridgeCommand.Create());
        AllowFlags(root);
        return new CloudCommand(root);
    }

    public async Task<int> InvokeAsync(string[] args)
    {
        // Flags are taken out before System.CommandLine sees the line: an optional positional argument
        // (project create NAME MANAGER [DESCRIPTION]) would otherwise swallow a --flag=value after it.
        var registry = new FlagRegistry(ModuleCatalog.FlagTypes);
        _flagTokens = [.. args.Where(a => IsFlagToken(a, registry))];
        var parse = _root.Parse([.. args.Where(a => !IsFlagToken(a, registry))], new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            return Usage(parse.Errors[0].Message);
        }
        return await parse.InvokeAsync().ConfigureAwait(false);
    }

    private static IReadOnlyList<string> _flagTokens = [];

    /// <summary>The flags of this invocation: <c>--flagfile</c> files, then the command line's flag tokens.</summary>
    public static FlagValues Flags(ParseResult parse) =>
        new FlagFileParser(new FlagRegistry(ModuleCatalog.FlagTypes))
            .Parse(parse.GetValue(FlagFile) ?? [], [.. _flagTokens, .. parse.UnmatchedTokens]);

    /// <summary>The tokens given to <see cref="Flags"/> as they were given on the command line (for child processes).</summary>
    public static IReadOnlyList<string> FlagTokens(ParseResult parse) => [.. _flagTokens, .. parse.UnmatchedTokens];

    /// <summary><c>--name[=value]</c> or <c>--noname</c> where name is a declared flag.</summary>
    private static bool IsFlagToken(string token, FlagRegistry registry)
    {
        if (!token.StartsWith("--", StringComparison.Ordinal))
        {
            return false;
        }
        var eq = token.IndexOf('=', StringComparison.Ordinal);
        var name = eq < 0 ? token[2..] : token[2..eq];
        return name != "flagfile" && (registry.TryGet(name, out _)
            || (eq < 0 && name.StartsWith("no", StringComparison.Ordinal) && registry.TryGet(name[2..], out var b) && b.IsBoolean));
    }

    /// <summary>Runs an action, turning the operator's mistakes and an unreachable database into one clear line.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (FlagException e)
        {
            return Usage(e.Message);
        }
        catch (Exception e) when (e is SchemaOutOfDateException or DatabaseUnavailableException or RpcTimeoutException or BusUnavailableException or RemoteError or OperatorException or Cloud.Modules.Kernel.CloudException)
        {
            await Console.Error.WriteLineAsync($"cloudd: error: {e.Message}").ConfigureAwait(false);
            return Failure;
        }
        catch (System.Data.Common.DbException e)
        {
            await Console.Error.WriteLineAsync($"cloudd: error: database: {Modules.Kernel.Flags.Secrets.MaskUrlPassword(e.Message)} (is the schema current? run 'cloudd manage db sync')").ConfigureAwait(false);
            return Failure;
        }
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"cloudd: error: {message}");
        return UsageError;
    }

    /// <summary>Flags are not options of System.CommandLine, so no command may reject them as unmatched.</summary>
    private static void AllowFlags(Command command)
    {
        command.TreatUnmatchedTokensAsErrors = false;
        foreach (var sub in command.Subcommands)
        {
            AllowFlags(sub);
        }
    }
}
