namespace Cloud.Modules.Identity.Ec2;

/// <summary>A parsed, not yet checked signature: who claims to have signed, and when it may be used.</summary>
internal interface IEc2SignatureClaim
{
    /// <summary>2 or 4.</summary>
    int Version { get; }

    /// <summary>The access key id the client named.</summary>
    string AccessKey { get; }

    /// <summary>The earliest server time the request is accepted at (clock skew allowed).</summary>
    DateTimeOffset NotBefore { get; }

    /// <summary>The latest server time the request is accepted at; after it the request has expired.</summary>
    DateTimeOffset NotAfter { get; }

    /// <summary>Recomputes the signature with <paramref name="secretKey"/> and compares in constant time.</summary>
    /// <param name="secretKey">The secret of <see cref="AccessKey"/>.</param>
    bool Matches(string secretKey);
}
