namespace Cloud.Modules.Glance.Stores;

/// <summary>
/// The store cannot serve because of how this server is set up (a wrong swift key, a missing container, a location no
/// configured store reads), not because of the request: the image API answers 503 with the message, which names
/// the flags to check, so callers do not mistake it for their own error.
/// </summary>
public sealed class ImageStoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
