namespace Cloud.Modules.Api.OpenStack;

/// <summary>A volume attached to a server as its detailed view lists it.</summary>
public sealed record ServerVolumeFact(string Id, bool DeleteOnTermination);
