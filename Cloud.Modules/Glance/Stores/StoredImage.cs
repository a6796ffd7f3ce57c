namespace Cloud.Modules.Glance.Stores;

/// <summary>What a store reports after an upload: where the bytes are and how many there were.</summary>
/// <param name="Location">Store URI, e.g. <c>file:///var/lib/cloudd/images/ID</c> or <c>swift+http://…/glance/ID</c>.</param>
/// <param name="Size">Bytes written.</param>
public sealed record StoredImage(string Location, long Size);
