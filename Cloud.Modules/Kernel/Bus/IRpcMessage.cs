namespace Cloud.Modules.Kernel.Bus;

/// <summary>A message on the bus: a sealed record marked with <see cref="RpcMethodAttribute"/>.</summary>
public interface IRpcMessage;
