using System.Collections.Frozen;
using System.Reflection;

namespace Cloud.Modules.Kernel.Bus;

/// <summary>
/// Maps wire method names to message types so a receiver can rebuild the record it was sent.
/// Built once from the assemblies that declare messages; dispatch itself stays an explicit switch.
/// </summary>
public sealed class RpcMessageRegistry
{
    private readonly FrozenDictionary<string, Type> _byMethod;

    public RpcMessageRegistry(IEnumerable<Assembly> assemblies)
    {
        var map = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in assemblies.Distinct().SelectMany(a => a.GetTypes()))
        {
            if (!typeof(IRpcMessage).IsAssignableFrom(type) || type.IsAbstract || type.IsInterface)
            {
                continue;
            }
            var method = MethodOf(type);
            if (!map.TryAdd(method, type))
            {
                throw new InvalidOperationException($"RPC method '{method}' is declared twice: {map[method].FullName} and {type.FullName}.");
            }
        }
        _byMethod = map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The registry of every message in cloudd's own assembly.</summary>
    public static RpcMessageRegistry ForCloud(params Assembly[] extra) =>
        new([typeof(RpcMessageRegistry).Assembly, .. extra]);

    public bool TryGetType(string method, out Type type) => _byMethod.TryGetValue(method, out type!);

    public static string MethodOf(Type type) => AttributeOf(type).Method;

    public static string VersionOf(Type type) => AttributeOf(type).Version;

    // Every message sent and received asks for its attribute; reflection each time cost ~9% of the bus's CPU.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, RpcMethodAttribute> Attributes = new();

    private static RpcMethodAttribute AttributeOf(Type type) => Attributes.GetOrAdd(type, static t =>
        t.GetCustomAttribute<RpcMethodAttribute>()
        ?? throw new InvalidOperationException($"{t.FullName} implements IRpcMessage but has no [RpcMethod] attribute."));
}
