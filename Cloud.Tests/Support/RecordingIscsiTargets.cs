using System.Collections.Concurrent;
using Cloud.Modules.Volume.Drivers;

namespace Cloud.Tests.Support;

/// <summary>A test double of the iSCSI target (never a default of cloudd): the exports in memory, and a switch that makes tgtd "gone".</summary>
public sealed class RecordingIscsiTargets : IIscsiTargetDriver
{
    private readonly ConcurrentDictionary<int, IscsiExport> _exports = new();

    public IReadOnlyDictionary<int, IscsiExport> Exports => _exports;

    /// <summary>When true, every call fails as with tgtd not running.</summary>
    public bool Down { get; set; }

    public Task CheckSetupAsync(CancellationToken cancellationToken) => Check();

    public async Task EnsureExportAsync(IscsiExport export, CancellationToken cancellationToken)
    {
        await Check();
        _exports[export.Tid] = export;
    }

    public async Task RemoveExportAsync(int tid, string iqn, CancellationToken cancellationToken)
    {
        await Check();
        _exports.TryRemove(tid, out _);
    }

    public Task RefreshSizeAsync(IscsiExport export, CancellationToken cancellationToken) => Check();

    public async Task<IReadOnlyList<(int Tid, string Iqn)>> ListExportsAsync(CancellationToken cancellationToken)
    {
        await Check();
        return [.. _exports.Values.Select(e => (e.Tid, e.Iqn))];
    }

    /// <summary>Adds a target behind the manager's back (what a crash or another tool leaves).</summary>
    public void AddStray(int tid, string iqn) => _exports[tid] = new IscsiExport(tid, iqn, "/stray", "u", "s");

    private Task Check() => Down ? throw new InvalidOperationException("tgtd does not answer (test)") : Task.CompletedTask;
}
