namespace Dealwire.Security;

/// <summary>A Manager API identity: a name, the groups it may see, and the hash of its secret key.</summary>
public sealed record ManagerKey(string Name, string GroupMask, string KeyHash, long ManagerId, DateTimeOffset Created) : IHashedKey;

/// <summary>
/// Secret keys of the Manager API, stored hashed (SHA-256) in <c>keys/manager-keys.json</c> of the data
/// directory. A key is shown once, when issued; only its hash is kept. A running server picks up keys
/// issued by <c>dealwire key issue</c> meanwhile: the file is re-read when its timestamp or size changes.
/// <see cref="Generation"/> counts those loads so the Manager API can re-check open sessions against
/// the keys (a re-issued or revoked key closes them, a changed mask applies at once).
/// </summary>
public sealed class ManagerKeyStore(string dataDirectory)
{
    private readonly HashedKeyFile<ManagerKey> _file = new(Path.Combine(dataDirectory, "keys", "manager-keys.json"));

    public IReadOnlyList<ManagerKey> Keys => _file.Keys;

    /// <summary>Changes each time the key set is (re)loaded or changed; re-reads the file first when it changed.</summary>
    public long Generation => _file.Generation;

    /// <summary>Deletes the key of <paramref name="name"/>; false when there is none.</summary>
    public bool Revoke(string name) => _file.Revoke(name);

    /// <summary>
    /// Creates a key for <paramref name="name"/> (replacing an older one of that name, whose manager id it keeps)
    /// and returns the secret.
    /// </summary>
    public string Issue(string name, string groupMask, DateTimeOffset now) =>
        _file.Issue(name, "dwk_", (hash, keys) =>
        {
            var id = keys.FirstOrDefault(k => k.Name == name)?.ManagerId ?? (keys.Count == 0 ? 1 : keys.Max(k => k.ManagerId) + 1);
            return new ManagerKey(name, groupMask, hash, id, now);
        });

    /// <summary>The identity a secret key belongs to, or null. Constant-time on the hash.</summary>
    public ManagerKey? Find(string? secret) => _file.Find(secret);

    /// <summary>
    /// The session identity a secret key stands for, or null: every protocol that accepts a manager key (gRPC
    /// integration, the web console, …) authenticates through here, so the mask and rights are decided in one place.
    /// Until managers are records of their own, a key's rights are the manager defaults.
    /// </summary>
    public SessionIdentity? Authenticate(string? secret) => Find(secret) is { } key ? IdentityOf(key) : null;

    /// <summary>The identity of a known key (see <see cref="Authenticate"/>).</summary>
    public static SessionIdentity IdentityOf(ManagerKey key) => new()
    {
        Type = SessionType.Manager,
        Id = key.ManagerId,
        Name = key.Name,
        GroupMask = key.GroupMask,
        Rights = Rights.ManagerDefault,
        ExpiresAt = DateTimeOffset.MaxValue,
    };
}
