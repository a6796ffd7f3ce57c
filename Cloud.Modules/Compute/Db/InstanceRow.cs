using System.Data.Common;

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
    public static Instance Read(DbDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        Uuid = reader.GetString(1),
        DisplayName = reader.GetString(2),
        ProjectId = reader.GetString(3),
        UserId = reader.GetString(4),
        ImageRef = reader.GetString(5),
        KernelId = StringOrNull(reader, 6),
        RamdiskId = StringOrNull(reader, 7),
        InstanceTypeId = reader.GetInt64(8),
        MemoryMb = reader.GetInt64(9),
        Vcpus = reader.GetInt64(10),
        RootGb = reader.GetInt64(11),
        KeyName = StringOrNull(reader, 12),
        KeyData = StringOrNull(reader, 13),
        UserData = StringOrNull(reader, 14),
        ReservationId = reader.GetString(15),
        LaunchIndex = reader.GetInt64(16),
        Host = StringOrNull(reader, 17),
        AvailabilityZone = StringOrNull(reader, 18),
        VmState = reader.GetString(19),
        TaskState = StringOrNull(reader, 20),
        PowerState = (PowerState)reader.GetInt32(21),
        LaunchedAt = DateTimeOrNull(reader, 22),
        TerminatedAt = DateTimeOrNull(reader, 23),
        Deleted = reader.GetBoolean(24),
        FaultCode = reader.IsDBNull(25) ? null : reader.GetInt64(25),
        FaultMessage = StringOrNull(reader, 26),
        CreatedAt = DateTimeOf(reader, 27),
        UpdatedAt = DateTimeOf(reader, 28),
        Description = StringOrNull(reader, 29),
        AccessIpV4 = StringOrNull(reader, 30),
        AccessIpV6 = StringOrNull(reader, 31),
        Locked = reader.GetBoolean(32),
        LockedBy = StringOrNull(reader, 33),
        LockedReason = StringOrNull(reader, 34),
        NoNetwork = reader.GetBoolean(35),
    };

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

    private static string? StringOrNull(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTime? DateTimeOrNull(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : DateTimeOf(reader, ordinal);

    /// <summary>
    /// SQLite keeps a DateTime as the text <c>yyyy-MM-dd HH:mm:ss.fffffff</c>, which GetDateTime hands to
    /// DateTime.Parse, the general parser (2 % of a page's CPU for its 1,000 rows' four dates): text of exactly that
    /// shape is read here digit by digit to the same value (Kind unspecified, as Parse gives); any other text, and
    /// MariaDB's DATETIME, still go through GetDateTime.
    /// </summary>
    private static DateTime DateTimeOf(DbDataReader reader, int ordinal)
    {
        if (reader.GetFieldType(ordinal) == typeof(string) && SqliteText.TryParse(reader.GetString(ordinal), out var value))
        {
            return value;
        }
        return reader.GetDateTime(ordinal);
    }
}
