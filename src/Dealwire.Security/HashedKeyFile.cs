using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Dealwire.Security;

/// <summary>A key kept only as the SHA-256 of its secret, under a unique name.</summary>
public interface IHashedKey
{
    string Name { get; }
    string KeyHash { get; }
}

/// <summary>
/// A JSON file of hashed keys in the data directory (manager keys, feeder keys): the secret is shown once when
/// issued and only its hash is written. A running server sees keys issued or revoked by another process (the CLI):
/// the file is re-read when its timestamp or size changes. <see cref="Generation"/> counts loads and changes, so a
/// holder of open sessions can re-check them. Thread-safe.
/// </summary>
public sealed class HashedKeyFile<TKey> where TKey : class, IHashedKey
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly string _path;
    private readonly object _gate = new();
    private List<TKey> _keys = [];
    private (DateTime Written, long Length) _loaded = (DateTime.MinValue, -1);
    private long _generation;

    public HashedKeyFile(string path)
    {
        _path = path;
        lock (_gate) ReloadIfChanged();
    }

    public IReadOnlyList<TKey> Keys
    {
        get
        {
            lock (_gate)
            {
                ReloadIfChanged();
                return _keys.ToList();
            }
        }
    }

    /// <summary>Changes each time the key set is (re)loaded or changed; re-reads the file first when it changed.</summary>
    public long Generation
    {
        get
        {
            lock (_gate)
            {
                ReloadIfChanged();
                return _generation;
            }
        }
    }

    /// <summary>
    /// Creates a secret with <paramref name="prefix"/>, stores the key <paramref name="create"/> makes from its hash
    /// (given the keys before, e.g. to keep an id) in place of any older key of that name, and returns the secret.
    /// </summary>
    public string Issue(string name, string prefix, Func<string, IReadOnlyList<TKey>, TKey> create)
    {
        var secret = prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        lock (_gate)
        {
            ReloadIfChanged();
            var key = create(Hash(secret), _keys);
            _keys = _keys.Where(k => k.Name != name).Append(key).ToList();
            Save();
        }
        return secret;
    }

    /// <summary>Deletes the key of <paramref name="name"/>; false when there is none.</summary>
    public bool Revoke(string name)
    {
        lock (_gate)
        {
            ReloadIfChanged();
            var kept = _keys.Where(k => k.Name != name).ToList();
            if (kept.Count == _keys.Count) return false;
            _keys = kept;
            Save();
            return true;
        }
    }

    /// <summary>The key a secret belongs to, or null. Constant-time on the hash.</summary>
    public TKey? Find(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > 512) return null;
        var hash = Encoding.ASCII.GetBytes(Hash(secret));
        lock (_gate)
        {
            ReloadIfChanged();
            foreach (var key in _keys)
            {
                if (CryptographicOperations.FixedTimeEquals(hash, Encoding.ASCII.GetBytes(key.KeyHash))) return key;
            }
        }
        return null;
    }

    /// <summary>Writes the keys and remembers the file's stamp. Caller holds the gate.</summary>
    private void Save()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        SecretFile.WriteAllText(_path, JsonSerializer.Serialize(_keys, Indented));
        _loaded = Stamp();
        _generation++;
    }

    /// <summary>Re-reads the key file when another process rewrote it. Caller holds the gate.</summary>
    private void ReloadIfChanged()
    {
        var stamp = Stamp();
        if (stamp == _loaded) return;
        if (stamp.Length < 0)
        {
            _keys = [];
        }
        else
        {
            try
            {
                _keys = JsonSerializer.Deserialize<List<TKey>>(File.ReadAllText(_path)) ?? [];
            }
            catch (IOException)
            {
                return; // being replaced right now (atomic rename): keep the keys we have, retry next time
            }
        }
        _loaded = stamp;
        _generation++;
    }

    private (DateTime Written, long Length) Stamp()
    {
        var info = new FileInfo(_path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }

    private static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret))).ToLowerInvariant();
}
