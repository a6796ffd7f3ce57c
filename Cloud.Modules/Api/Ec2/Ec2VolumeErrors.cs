using Cloud.Modules.Kernel;

namespace Cloud.Modules.Api.Ec2;

/// <summary>The volume module's quota refusals as EC2's VolumeLimitExceeded / SnapshotLimitExceeded, with its message.</summary>
public static class Ec2VolumeErrors
{
    public static async Task<T> QuotaAsync<T>(Task<T> task, string code)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind is CloudErrorKind.Forbidden or CloudErrorKind.TooLarge && e.Message.Contains("quota", StringComparison.OrdinalIgnoreCase))
        {
            throw new Ec2ActionException(code, e.Message);
        }
    }
}
