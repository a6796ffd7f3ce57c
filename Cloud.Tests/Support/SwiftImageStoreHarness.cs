using Cloud.Modules.Glance;
using Cloud.Modules.Glance.Stores;

namespace Cloud.Tests.Support;

/// <summary>
/// A <see cref="SwiftImageStore"/> on a real cloudd swift cluster (proxy with tempauth plus storage role), for the
/// image store contract suite and the swift store's own tests.
/// </summary>
public sealed class SwiftImageStoreHarness : IImageStoreHarness
{
    private readonly List<HttpClient> _clients = [];

    /// <summary>The user the stores authenticate as (the cluster's default tempauth admin).</summary>
    public const string User = "system:root";

    /// <summary>Its key.</summary>
    public const string Key = "testpass";

    public SwiftCluster Cluster { get; private set; } = null!;

    /// <summary>A store writing to container <c>glance</c>, created on the first upload.</summary>
    public IImageStore Store { get; private set; } = null!;

    public async Task StartAsync()
    {
        Cluster = await SwiftCluster.StartAsync();
        Store = NewStore(f => f.SwiftStoreCreateContainerOnPut = true);
    }

    /// <summary>The objects of container <c>glance</c> named after the image: the object itself and its segments.</summary>
    public async Task<IReadOnlyList<string>> HeldForAsync(string imageId) =>
        await ((SwiftImageStore)Store).ListAsync("glance", imageId, default);

    /// <summary>Default flags pointing at the cluster, changed by <paramref name="change"/>.</summary>
    public GlanceSwiftStoreFlags Flags(Action<GlanceSwiftStoreFlags>? change = null)
    {
        var flags = new GlanceSwiftStoreFlags { SwiftStoreAuthAddress = Cluster.AuthUrl, SwiftStoreUser = User, SwiftStoreKey = Key };
        change?.Invoke(flags);
        return flags;
    }

    /// <summary>Another store on the same cluster, with its own flags.</summary>
    public SwiftImageStore NewStore(Action<GlanceSwiftStoreFlags>? change = null)
    {
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _clients.Add(http);
        return new SwiftImageStore(Flags(change), http);
    }

    public async ValueTask DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}
