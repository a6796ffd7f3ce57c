using System.CommandLine;
using Cloud.Modules.Swift.Common.Ring;
using Cloud.Modules.Swift.Storage;
using Cloud.Modules.Swift.Storage.Auditor;
using Cloud.Modules.Swift.Storage.Expirer;
using Cloud.Modules.Swift.Storage.Reaper;
using Cloud.Modules.Swift.Storage.Replication;
using Cloud.Modules.Swift.Storage.Sync;
using Cloud.Modules.Swift.Storage.Updater;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Host.Commands;

/// <summary>
/// <c>cloudd swift replicate|audit|update|reap|expire|container-sync [--type=object|container|account] [--once]</c>: the storage role's consistency
/// daemons (swift-object-replicator, swift-object-auditor, swift-object-updater, ...) run from the command line with the
/// storage host's flags, one pass with <c>--once</c>, otherwise every interval until stopped.
/// </summary>
public static class SwiftCommand
{
    public static Command Create()
    {
        var swift = new Command("swift", "Run the object store's consistency daemons on a storage host (swift-*-replicator, -auditor, -updater).");
        swift.Subcommands.Add(Verb("replicate", "Replicate objects, container and account databases to the other replicas.",
            new() { ["object"] = typeof(ObjectReplicator), ["container"] = typeof(ContainerReplicator), ["account"] = typeof(AccountReplicator) }));
        swift.Subcommands.Add(Verb("audit", "Check every object's MD5 and metadata; quarantine bad ones.",
            new() { ["object"] = typeof(ObjectAuditor) }));
        swift.Subcommands.Add(Verb("update", "Deliver queued container updates (object) and container totals to accounts (container).",
            new() { ["object"] = typeof(ObjectUpdater), ["container"] = typeof(ContainerUpdater) }));
        swift.Subcommands.Add(Verb("reap", "Delete the objects and containers of deleted accounts.",
            new() { ["account"] = typeof(AccountReaper) }));
        swift.Subcommands.Add(Verb("expire", "Delete objects whose X-Delete-At has passed (swift-object-expirer).",
            new() { ["object"] = typeof(ObjectExpirer) }));
        swift.Subcommands.Add(Verb("container-sync", "Send new rows of containers with X-Container-Sync-To to their remote container (swift-container-sync).",
            new() { ["container"] = typeof(ContainerSyncDaemon) }));
        return swift;
    }

    private static Command Verb(string name, string description, Dictionary<string, Type> daemons)
    {
        var type = new Option<string?>("--type") { Description = $"Only this kind: {string.Join(", ", daemons.Keys)} (default: all)" };
        type.AcceptOnlyFromAmong([.. daemons.Keys]);
        var once = new Option<bool>("--once") { Description = "Run one pass and exit" };
        var command = new Command(name, description) { type, once };
        command.SetAction((parse, ct) => CloudCommand.GuardAsync(async () =>
        {
            using var host = CloudHostFactory.Build(CloudCommand.Flags(parse), [], SwiftStorageModule.AddDaemons);
            var chosen = parse.GetValue(type) is { } kind ? [daemons[kind]] : daemons.Values.ToList();
            var run = chosen.Select(t => (ISwiftDaemon)host.Services.GetRequiredService(t)).ToList();
            do
            {
                foreach (var daemon in run)
                {
                    string summary;
                    try
                    {
                        summary = await daemon.RunOnceAsync(ct).ConfigureAwait(false);
                    }
                    catch (RingBuilderException e)
                    {
                        throw new OperatorException($"{daemon.Name}: {e.Message}");
                    }
                    Console.WriteLine($"{daemon.Name}: {summary}");
                }
                if (parse.GetValue(once))
                {
                    return 0;
                }
                var interval = run.Select(d => d.Interval).Where(i => i > TimeSpan.Zero).DefaultIfEmpty(TimeSpan.FromSeconds(30)).Min();
                await Task.Delay(interval, ct).ConfigureAwait(false);
            }
            while (true);
        }));
        return command;
    }
}
