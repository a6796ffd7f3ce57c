using Cloud.Modules.Glance;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Api.Ec2;

/// <summary>The glance images a caller sees, found by their EC2 ids (<see cref="Ec2ImageIds"/>).</summary>
public sealed class Ec2Images(ImageApi images)
{
    public Task<IReadOnlyList<Image>> ListAsync(RequestContext context, CancellationToken cancellationToken) =>
        VisibleImages.ListAsync(images, context, cancellationToken);

    /// <summary>The image with EC2 id <paramref name="ec2Id"/>, or InvalidAMIID.NotFound (also for another project's private image).</summary>
    public async Task<Image> FindAsync(RequestContext context, string ec2Id, CancellationToken cancellationToken)
    {
        var digits = Ec2ImageIds.DigitsOf(ec2Id)
            ?? throw new Ec2ActionException("InvalidAMIID.Malformed", $"Invalid id: \"{ec2Id}\" (expecting \"ami-...\", \"aki-...\" or \"ari-...\").");
        var matches = (await ListAsync(context, cancellationToken).ConfigureAwait(false))
            .Where(i => Ec2ImageIds.Format(Ec2ImageIds.Machine, i.Id)[4..] == digits).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new Ec2ActionException("InvalidAMIID.NotFound", $"The image id '[{ec2Id}]' does not exist"),
            _ => throw new Ec2ActionException("InvalidAMIID.NotFound", $"The image id '{ec2Id}' is ambiguous: use the glance id through the OpenStack API."),
        };
    }

    /// <summary>
    /// The kernel and ramdisk (glance ids) to boot <paramref name="machine"/> with: the EC2 ids given (KernelId, RamdiskId),
    /// else the image's own properties; each must be an image the caller can see (<see cref="BootImages"/>).
    /// </summary>
    public async Task<(string? KernelId, string? RamdiskId)> KernelAndRamdiskAsync(
        RequestContext context, Image machine, string? kernelEc2Id, string? ramdiskEc2Id, CancellationToken cancellationToken) =>
        await BootImages.KernelAndRamdiskAsync(images, context, machine,
            await GlanceIdOfAsync(context, kernelEc2Id, cancellationToken).ConfigureAwait(false),
            await GlanceIdOfAsync(context, ramdiskEc2Id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>The glance id behind a kernel or ramdisk id, checking it exists; null passes through.</summary>
    private async Task<string?> GlanceIdOfAsync(RequestContext context, string? ec2Id, CancellationToken cancellationToken) =>
        ec2Id is null ? null : (await FindAsync(context, ec2Id, cancellationToken).ConfigureAwait(false)).Id;
}
