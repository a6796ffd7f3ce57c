namespace Cloud.Modules.Identity.ApplicationCredentials;

/// <summary>
/// One request an application credential's tokens may make: a service type (<c>compute</c>, <c>image</c>, ...),
/// an HTTP method and a path pattern (<c>*</c> matches one path segment, <c>**</c> any number of them).
/// </summary>
public sealed record AccessRule(string Id, string Service, string Path, string Method);
