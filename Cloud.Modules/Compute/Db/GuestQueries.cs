namespace Cloud.Modules.Compute.Db;

/// <summary>
/// The metadata service's one read: everything about the live instance <c>@Uuid</c> (found by Network from its fixed
/// IP), in one round trip of four statements: the instance, its flavor's name, its metadata, its security groups.
/// </summary>
internal static class GuestQueries
{
    public const string ByInstance = $"""
        SELECT {InstanceQueries.Columns} FROM instances WHERE deleted = 0 AND uuid = @Uuid;
        SELECT fl.name FROM flavors fl JOIN instances i ON i.instance_type_id = fl.id WHERE i.uuid = @Uuid;
        SELECT `key` AS `Key`, value AS Value FROM instance_metadata WHERE instance_uuid = @Uuid ORDER BY `key`;
        SELECT g.name FROM instance_security_groups s JOIN security_groups g ON g.id = s.security_group_id
        WHERE s.instance_uuid = @Uuid ORDER BY g.name;
        """;
}
