namespace Dealwire.Security;

/// <summary>An integration of the JSON socket (trader socket): its name, the groups whose events it receives, and the hash of its key.</summary>
public sealed record IntegrationKey(string Name, string GroupMask, string KeyHash, DateTimeOffset Created) : IHashedKey;

/// <summary>
/// Secret keys of the JSON-socket integrations (<c>dealwire key issue --integration NAME [--groups MASK]</c>),
/// stored hashed (SHA-256) in <c>keys/integration-keys.json</c> of the data directory like manager and feeder
/// keys: the secret is shown once, and a running server sees keys issued or revoked meanwhile (the file is re-read
/// when it changes; <see cref="Generation"/> lets the socket re-check its open sessions).
/// </summary>
public sealed class IntegrationKeyStore(string dataDirectory)
{
    private readonly HashedKeyFile<IntegrationKey> _file = new(Path.Combine(dataDirectory, "keys", "integration-keys.json"));

    public IReadOnlyList<IntegrationKey> Keys => _file.Keys;

    /// <summary>Changes each time the key set is (re)loaded or changed; re-reads the file first when it changed.</summary>
    public long Generation => _file.Generation;

    /// <summary>Creates a key for <paramref name="name"/> (replacing an older one of that name) and returns the secret.</summary>
    public string Issue(string name, string groupMask, DateTimeOffset now) =>
        _file.Issue(name, "dwi_", (hash, _) => new IntegrationKey(name, string.IsNullOrWhiteSpace(groupMask) ? "*" : groupMask.Trim(), hash, now));

    /// <summary>Deletes the key of <paramref name="name"/>; false when there is none.</summary>
    public bool Revoke(string name) => _file.Revoke(name);

    /// <summary>The integration a secret key belongs to, or null. Constant-time on the hash.</summary>
    public IntegrationKey? Find(string? secret) => _file.Find(secret);
}
