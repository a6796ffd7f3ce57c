namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// One kind of fact the server view shows beyond the instance row (tags, host status, server groups, ...), loaded for a
/// whole page of servers at once. Registered with <c>services.AddSingleton&lt;IServerFactsSource, XxxFacts&gt;()</c>;
/// <see cref="ServerDetails"/> runs every source before it builds the view.
/// </summary>
public interface IServerFactsSource
{
    /// <summary>
    /// Returns <paramref name="servers"/> with this source's properties set (<c>facts with { Tags = ... }</c>), in the
    /// same order. A source whose fact the version or the options do not show returns them unchanged without a query.
    /// </summary>
    Task<IReadOnlyList<ServerFacts>> AddAsync(ServerFactsQuery query, IReadOnlyList<ServerFacts> servers);
}
