namespace Cloud.Modules.Glance.Cache;

/// <summary>What pruning evicted: how many images and how many bytes, and the size left.</summary>
public sealed record PruneResult(int Evicted, long BytesFreed, long SizeLeft);
