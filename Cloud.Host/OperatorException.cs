namespace Cloud.Host;

/// <summary>An operator command cannot do what was asked (no such service, ...); the message says why.</summary>
public sealed class OperatorException(string message) : Exception(message);
