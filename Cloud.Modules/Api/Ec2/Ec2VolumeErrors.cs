using Cloud.Modules.Kernel;
using Cloud.Modules.Volume;

namespace Cloud.Modules.Api.Ec2;

/// <summary>The volume module's refusals in EC2's words: a volume not found, quotas as VolumeLimitExceeded / SnapshotLimitExceeded.</summary>
public static class Ec2VolumeErrors
{
    /// <summary>The caller's volume named by the call's <c>VolumeId</c>, else InvalidVolume.NotFound.</summary>
    public static async Task<VolumeInfo> VolumeAsync(VolumeApi volumes, Ec2Call call)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        ArgumentNullException.ThrowIfNull(call);
        var ec2Id = call.Required("VolumeId");
        try
        {
            return await volumes.GetByIdAsync(call.Context, Ec2VolumeIds.ParseVolume(ec2Id), call.CancellationToken).ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.NotFound)
        {
            throw new Ec2ActionException("InvalidVolume.NotFound", $"The volume '{ec2Id}' does not exist.");
        }
    }

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
