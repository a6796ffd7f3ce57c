using System.Data.Common;
using Cloud.Modules.Kernel.Db;

namespace Cloud.Modules.Compute.Db;

/// <summary>
/// Reads an <see cref="Instance"/> from a row of <see cref="InstanceQueries.Columns"/> by ordinal with the typed
/// getters. Dapper's mapper reads each of the 36 columns with GetValue (boxing every number, the column's type looked
/// up each time) and turns SQLite's date text into a DateTime through Convert.ChangeType: 28 % of the CPU of a
/// <c>/servers/detail</c> page of 1,000 servers. GetDateTime parses the same text with the invariant culture, as
/// Convert.ChangeType did, and reads MariaDB's DATETIME as it is.
/// </summary>
internal static class InstanceRow
{
    /// <summary>The current row; its columns in <see cref="InstanceQueries.Columns"/>' order.</summary>
    public static Instance Read(DbDataReader reader)
    {
        var row = DbRow.Of(reader);
        return new()
        {
            Id = row.Int64(0),
            Uuid = row.String(1),
            DisplayName = row.String(2),
            ProjectId = row.String(3),
            UserId = row.String(4),
            ImageRef = row.String(5),
            KernelId = row.StringOrNull(6),
            RamdiskId = row.StringOrNull(7),
            InstanceTypeId = row.Int64(8),
            MemoryMb = row.Int64(9),
            Vcpus = row.Int64(10),
            RootGb = row.Int64(11),
            KeyName = row.StringOrNull(12),
            KeyData = row.StringOrNull(13),
            UserData = row.StringOrNull(14),
            ReservationId = row.String(15),
            LaunchIndex = row.Int64(16),
            Host = row.StringOrNull(17),
            AvailabilityZone = row.StringOrNull(18),
            VmState = row.String(19),
            TaskState = row.StringOrNull(20),
            PowerState = (PowerState)row.Int32(21),
            LaunchedAt = row.IsNull(22) ? null : DateTimeOf(reader, row, 22),
            TerminatedAt = row.IsNull(23) ? null : DateTimeOf(reader, row, 23),
            Deleted = row.Boolean(24),
            FaultCode = row.Int64OrNull(25),
            FaultMessage = row.StringOrNull(26),
            CreatedAt = DateTimeOf(reader, row, 27),
            UpdatedAt = DateTimeOf(reader, row, 28),
            Description = row.StringOrNull(29),
            AccessIpV4 = row.StringOrNull(30),
            AccessIpV6 = row.StringOrNull(31),
            Locked = row.Boolean(32),
            LockedBy = row.StringOrNull(33),
            LockedReason = row.StringOrNull(34),
            NoNetwork = row.Boolean(35),
        };
    }

    /// <summary>Every row of <paramref name="command"/> (Dapper binds its parameters), read by <see cref="Read"/>.</summary>
    public static async Task<List<Instance>> ListAsync(DbConnection c, Dapper.CommandDefinition command)
    {
        var rows = new List<Instance>();
        await using var reader = await Dapper.SqlMapper.ExecuteReaderAsync(c, command).ConfigureAwait(false);
        while (await reader.ReadAsync(command.CancellationToken).ConfigureAwait(false))
        {
            rows.Add(Read(reader));
        }
        return rows;
    }

    /// <summary>
    /// SQLite keeps a DateTime as the text <c>yyyy-MM-dd HH:mm:ss.fffffff</c>, which GetDateTime hands to
    /// DateTime.Parse, the general parser (2 % of a page's CPU for its 1,000 rows' four dates): text of exactly that
    /// shape is read here digit by digit to the same value (Kind unspecified, as Parse gives); any other text, and
    /// MariaDB's DATETIME, still go through GetDateTime.
    /// </summary>
    private static DateTime DateTimeOf(DbDataReader reader, DbRow row, int ordinal)
    {
        var text = row.IsSqlite ? row.StringOrNull(ordinal) : reader.GetFieldType(ordinal) == typeof(string) ? reader.GetString(ordinal) : null;
        return text is not null && SqliteText.TryParse(text, out var value) ? value : reader.GetDateTime(ordinal);
    }
}
