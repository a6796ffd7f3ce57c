namespace Cloud.Modules.Compute;

/// <summary>A user's SSH key pair; cloudd keeps only the public half.</summary>
public sealed class KeyPair
{
    public long Id { get; init; }

    public string UserId { get; init; } = "";

    public string ProjectId { get; init; } = "";

    public string Name { get; init; } = "";

    /// <summary>MD5 of the key blob as colon hex (<c>a6:2a:…</c>), as EC2 and nova show it.</summary>
    public string Fingerprint { get; init; } = "";

    /// <summary>One OpenSSH line: <c>ssh-rsa AAAA… comment</c>.</summary>
    public string PublicKey { get; init; } = "";

    /// <summary><c>ssh</c> (nova's only key type before x509).</summary>
    public string Type { get; init; } = "ssh";

    public DateTime CreatedAt { get; init; }
}
