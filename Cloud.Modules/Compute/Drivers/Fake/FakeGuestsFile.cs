using System.Text.Json;

namespace Cloud.Modules.Compute.Drivers.Fake;

/// <summary>
/// TEST DOUBLE ONLY (<c>--fake_guests_file</c>): where the fake driver keeps its simulated guests, so a test can see
/// which guests run on a host (there is no hypervisor to ask) and the guests outlive a killed compute process, as a
/// real hypervisor's do. Rewritten whole (a temporary file renamed over it) on every change.
/// </summary>
internal sealed class FakeGuestsFile(string path)
{
    private readonly Lock _writing = new();

    /// <summary>One guest as the file holds it.</summary>
    internal sealed record Guest(string Name, string Uuid, PowerState State, long MemoryMb, long Vcpus);

    public IReadOnlyList<Guest> Load() =>
        File.Exists(path) ? JsonSerializer.Deserialize<List<Guest>>(File.ReadAllText(path)) ?? [] : [];

    /// <summary>Writes what <paramref name="guests"/> lists now; taken under the lock, so a later change is never overwritten by an earlier one.</summary>
    public void Save(Func<IEnumerable<Guest>> guests)
    {
        lock (_writing)
        {
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(guests().OrderBy(g => g.Name, StringComparer.Ordinal).ToList()));
            File.Move(temporary, path, overwrite: true);
        }
    }
}
