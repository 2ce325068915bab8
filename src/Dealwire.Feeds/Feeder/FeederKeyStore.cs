using Dealwire.Security;

namespace Dealwire.Feeds.Feeder;

/// <summary>A feeder identity: its name (the source name in /health), the symbols it may push (null: all) and the hash of its key.</summary>
public sealed record FeederKey(string Name, IReadOnlyList<string>? Symbols, string KeyHash, DateTimeOffset Created) : IHashedKey
{
    public bool Allows(string symbol) => Symbols is null || Symbols.Contains(symbol, StringComparer.Ordinal);
}

/// <summary>
/// Feeder keys, stored hashed (SHA-256) in <c>keys/feeder-keys.json</c> of the data directory, the way Manager API
/// keys are: shown once when <c>dealwire key issue --feeder NAME</c> creates them, re-read by a running server when
/// the file changes, so a key issued or revoked meanwhile counts from the next feeder connection.
/// </summary>
public sealed class FeederKeyStore(string dataDirectory)
{
    private readonly HashedKeyFile<FeederKey> _file = new(Path.Combine(dataDirectory, "keys", "feeder-keys.json"));

    public IReadOnlyList<FeederKey> Keys => _file.Keys;

    /// <summary>Creates a key for <paramref name="name"/> (replacing an older one of that name) and returns the secret.</summary>
    public string Issue(string name, IReadOnlyList<string>? symbols, DateTimeOffset now) =>
        _file.Issue(name, "dwf_", (hash, _) => new FeederKey(name, symbols, hash, now));

    /// <summary>Deletes the key of <paramref name="name"/>; false when there is none.</summary>
    public bool Revoke(string name) => _file.Revoke(name);

    /// <summary>The feeder a secret key belongs to, or null. Constant-time on the hash.</summary>
    public FeederKey? Find(string? secret) => _file.Find(secret);
}
