using Cloud.Modules.Glance.Stores;

namespace Cloud.Tests.Support;

/// <summary>One image store under the contract tests (the file store; next, the swift store), on fresh empty storage.</summary>
public interface IImageStoreHarness : IAsyncDisposable
{
    IImageStore Store { get; }

    Task StartAsync();

    /// <summary>Whatever the storage holds that belongs to <paramref name="imageId"/> (files, temp files, objects): empty after a failed upload.</summary>
    Task<IReadOnlyList<string>> HeldForAsync(string imageId);
}
