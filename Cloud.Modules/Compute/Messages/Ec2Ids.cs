using System.Globalization;

namespace Cloud.Modules.Compute;

/// <summary>The seed's EC2 ids: a prefix and the database id as eight hex digits (<c>i-0000002a</c>).</summary>
public static class Ec2Ids
{
    public static string Instance(long id) => $"i-{id:x8}";

    /// <summary>The database id of <c>i-0000002a</c>; false for anything else.</summary>
    public static bool TryParseInstance(string ec2Id, out long id)
    {
        id = 0;
        return ec2Id.StartsWith("i-", StringComparison.Ordinal)
            && ec2Id.Length > 2
            && long.TryParse(ec2Id.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out id);
    }

    /// <summary>A new reservation id, <c>r-</c> and eight random lowercase letters and digits (as the seed's).</summary>
    public static string NewReservation()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return "r-" + System.Security.Cryptography.RandomNumberGenerator.GetString(alphabet, 8);
    }
}
