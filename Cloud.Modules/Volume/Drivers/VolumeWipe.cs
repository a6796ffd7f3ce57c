namespace Cloud.Modules.Volume.Drivers;

/// <summary>How much of a deleted volume the backing stores overwrite with zeros (<c>--volume_clear</c>, <c>--volume_clear_size</c>).</summary>
public static class VolumeWipe
{
    private const long MiB = 1L << 20;

    /// <summary>Fails, naming the flag, unless <c>--volume_clear</c> is one of zero and none.</summary>
    public static void Check(VolumeFlags flags)
    {
        if (flags.VolumeClear is not ("zero" or "none"))
        {
            throw new InvalidOperationException($"--volume_clear={flags.VolumeClear} is not known: use zero or none");
        }
    }

    /// <summary>The bytes at the start of a volume of <paramref name="size"/> bytes to overwrite: none, the first --volume_clear_size MiB, or all.</summary>
    public static long Bytes(VolumeFlags flags, long size) =>
        flags.VolumeClear == "none" ? 0 : flags.VolumeClearSize > 0 ? Math.Min(flags.VolumeClearSize * MiB, size) : size;
}
