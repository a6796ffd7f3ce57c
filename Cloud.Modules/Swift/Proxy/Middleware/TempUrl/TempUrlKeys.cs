
namespace Cloud.Modules.Swift.Proxy.Middleware.TempUrl;

/// <summary>
/// The keys temporary URLs and form posts are signed with: the account's X-Account-Meta-Temp-URL-Key[-2] (valid for the
/// whole account) and the container's X-Container-Meta-Temp-URL-Key[-2] (valid for that container only), read from
/// the storage servers as swift's get_account_info / get_container_info do, through their cache (<see cref="ProxyInfoCache"/>).
/// </summary>
public sealed class TempUrlKeys(ProxyInfoCache info)
{
    /// <summary>The keys set on <paramref name="account"/> and <paramref name="container"/>; empty when none is.</summary>
    public async Task<IReadOnlyList<TempUrlKey>> ReadAsync(string account, string container, CancellationToken cancellationToken)
    {
        using var accountHead = await info.AccountAsync(account, cancellationToken).ConfigureAwait(false);
        using var containerHead = await info.ContainerAsync(account, container, cancellationToken).ConfigureAwait(false);
        return [.. KeysOf(accountHead, "X-Account-Meta-", AccountScope: true), .. KeysOf(containerHead, "X-Container-Meta-", AccountScope: false)];
    }

    private static IEnumerable<TempUrlKey> KeysOf(HttpResponseMessage? head, string prefix, bool AccountScope)
    {
        if (head is not { IsSuccessStatusCode: true })
        {
            yield break;
        }
        foreach (var name in new[] { "Temp-URL-Key", "Temp-URL-Key-2" })
        {
            if (head.Headers.TryGetValues(prefix + name, out var values) && values.FirstOrDefault() is { Length: > 0 } key)
            {
                yield return new TempUrlKey(key, AccountScope);
            }
        }
    }
}

/// <summary>One signing key and its reach: the whole account, or only its container.</summary>
public sealed record TempUrlKey(string Key, bool AccountScope);
