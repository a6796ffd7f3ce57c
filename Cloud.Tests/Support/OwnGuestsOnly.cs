using System.Reflection;
using Cloud.Modules.Compute.Drivers;

namespace Cloud.Tests.Support;

/// <summary>
/// A driver seen through a window: <see cref="IComputeDriver.ListInstancesAsync"/> shows only the guests a test made,
/// everything else goes to the real driver. A test reconciling guests on the machine's shared libvirtd must not see the
/// domains of tests running beside it (to it they are guests of unknown instances).
/// </summary>
public class OwnGuestsOnly : DispatchProxy
{
    private IComputeDriver _inner = null!;
    private IReadOnlyCollection<string> _names = [];

    public static IComputeDriver Of(IComputeDriver inner, IReadOnlyCollection<string> names)
    {
        var proxy = Create<IComputeDriver, OwnGuestsOnly>();
        var window = (OwnGuestsOnly)(object)proxy;
        (window._inner, window._names) = (inner, names);
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        return targetMethod.Name == nameof(IComputeDriver.ListInstancesAsync) ? ListAsync((CancellationToken)args![0]!) : targetMethod.Invoke(_inner, args);
    }

    private async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await _inner.ListInstancesAsync(cancellationToken).ConfigureAwait(false)).Where(_names.Contains)];
}
