namespace Cloud.Modules.Swift.Storage;

/// <summary>One of the storage role's consistency daemons (replicators, auditor, updaters): a pass over the local devices.</summary>
public interface ISwiftDaemon
{
    /// <summary>Swift's name for it, e.g. object-replicator.</summary>
    string Name { get; }

    /// <summary>Time between passes; zero when it is off.</summary>
    TimeSpan Interval { get; }

    /// <summary>One pass over every local device; returns a one-line summary for logs and <c>cloudd swift ... --once</c>.</summary>
    Task<string> RunOnceAsync(CancellationToken cancellationToken);
}
