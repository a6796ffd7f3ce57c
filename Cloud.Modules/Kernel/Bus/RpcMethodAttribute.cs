namespace Cloud.Modules.Kernel.Bus;

/// <summary>Names the wire method of a message (nova's snake_case names such as <c>run_instance</c>).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RpcMethodAttribute(string method, string version = "1.0") : Attribute
{
    public string Method { get; } = method;

    /// <summary>The message's version, carried in the envelope so receivers can refuse what they cannot read.</summary>
    public string Version { get; } = version;
}
