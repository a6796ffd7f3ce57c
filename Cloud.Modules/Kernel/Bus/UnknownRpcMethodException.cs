namespace Cloud.Modules.Kernel.Bus;

/// <summary>An endpoint received a message it does not handle.</summary>
public sealed class UnknownRpcMethodException : Exception
{
    public UnknownRpcMethodException(IRpcMessage message)
        : base($"Unsupported RPC method '{RpcMessageRegistry.MethodOf(message.GetType())}'.")
    {
    }

    public UnknownRpcMethodException(string method)
        : base($"Unsupported RPC method '{method}'.")
    {
    }
}
