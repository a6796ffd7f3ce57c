using System.CommandLine;
using Cloud.Modules.Kernel.Db;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Host.Commands;

/// <summary><c>cloudd manage db sync|version</c>.</summary>
public static class ManageDbCommand
{
    public static Command Create()
    {
        var db = new Command("db", "Database schema.");

        var sync = new Command("sync", "Create or upgrade the schema to this cloudd's version (safe to repeat).");
        ToolHost.SetAction(sync, async (_, services, ct) =>
        {
            var runner = services.GetRequiredService<MigrationRunner>();
            var applied = await runner.SyncAsync(ct).ConfigureAwait(false);
            Console.WriteLine(applied.Count == 0
                ? $"database is up to date at version {runner.Latest}"
                : $"database upgraded to version {runner.Latest} ({applied.Count} migration{(applied.Count == 1 ? "" : "s")} applied)");
            return 0;
        });

        var version = new Command("version", "Print the database's schema version.");
        ToolHost.SetAction(version, async (_, services, ct) =>
        {
            Console.WriteLine(await services.GetRequiredService<MigrationRunner>().CurrentVersionAsync(ct).ConfigureAwait(false));
            return 0;
        });

        db.Subcommands.Add(sync);
        db.Subcommands.Add(version);
        return db;
    }
}
