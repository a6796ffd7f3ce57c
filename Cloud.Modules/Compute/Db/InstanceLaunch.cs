namespace Cloud.Modules.Compute.Db;

/// <summary>What <see cref="InstanceStore.CreateAsync"/> writes for each instance of one request, all checked by the API.</summary>
/// <param name="ProjectId">The caller's project.</param>
/// <param name="Request">The request as asked (image, kernel, ramdisk, key name, user data, zone, metadata).</param>
/// <param name="Flavor">The resolved flavor; its resources are copied onto each instance.</param>
/// <param name="KeyData">The public key of <c>Request.KeyName</c>, if any.</param>
/// <param name="SecurityGroupIds">The resolved security groups.</param>
/// <param name="Reservation">The EC2 reservation id the instances share.</param>
/// <param name="Now">When they are created.</param>
public sealed record InstanceLaunch(
    string ProjectId, CreateInstancesRequest Request, Flavor Flavor, string? KeyData, IReadOnlyList<long> SecurityGroupIds, string Reservation, DateTime Now)
{
    /// <summary>The id of the server group the instances join, or null.</summary>
    public long? ServerGroupId { get; init; }

    /// <summary>The display name of instance <paramref name="index"/> of <paramref name="count"/> (empty when none was asked).</summary>
    public string NameOf(int index, int count) =>
        Request.DisplayName is null ? "" : ServerLimits.MultiInstanceName(Request.DisplayName, index, count);
}
