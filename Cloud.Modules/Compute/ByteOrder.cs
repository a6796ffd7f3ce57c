namespace Cloud.Modules.Compute;

/// <summary>Orders byte strings (addresses) numerically, as their text does not sort (10.0.0.10 before 10.0.0.9).</summary>
internal sealed class ByteOrder : IComparer<byte[]>
{
    public static readonly ByteOrder Instance = new();

    public int Compare(byte[]? x, byte[]? y) => ((ReadOnlySpan<byte>)x).SequenceCompareTo(y);
}
