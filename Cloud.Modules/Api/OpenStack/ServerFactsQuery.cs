using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>What an <see cref="IServerFactsSource"/> knows of the answer it loads for: caller, microversion, sections.</summary>
public sealed record ServerFactsQuery(RequestContext Context, Microversion Version, ServerViewOptions Options, CancellationToken CancellationToken);
