using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Dealwire.Security;

/// <summary>A Manager API identity: a name, the groups it may see, and the hash of its secret key.</summary>
public sealed record ManagerKey(string Name, string GroupMask, string KeyHash, long ManagerId, DateTimeOffset Created);

/// <summary>
/// Secret keys of the Manager API, stored hashed (SHA-256) in <c>keys/manager-keys.json</c> of the data
/// directory. A key is shown once, when issued; only its hash is kept. A running server picks up keys
/// issued by <c>dealwire key issue</c> meanwhile: the file is re-read when its timestamp or size changes.
/// <see cref="Generation"/> counts those loads so the Manager API can re-check open sessions against
/// the keys (a re-issued or revoked key closes them, a changed mask applies at once).
/// </summary>
public sealed class ManagerKeyStore
{
    private readonly string _path;
    private readonly object _gate = new();
    private List<ManagerKey> _keys = [];
    private (DateTime Written, long Length) _loaded = (DateTime.MinValue, -1);
    private long _generation;

    public ManagerKeyStore(string dataDirectory)
    {
        _path = Path.Combine(dataDirectory, "keys", "manager-keys.json");
        lock (_gate) ReloadIfChanged();
    }

    public IReadOnlyList<ManagerKey> Keys
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

    /// <summary>Creates a key for <paramref name="name"/> (replacing an older one of that name) and returns the secret.</summary>
    public string Issue(string name, string groupMask, DateTimeOffset now)
    {
        var secret = "dwk_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        lock (_gate)
        {
            ReloadIfChanged();
            var id = _keys.FirstOrDefault(k => k.Name == name)?.ManagerId ?? (_keys.Count == 0 ? 1 : _keys.Max(k => k.ManagerId) + 1);
            _keys = _keys.Where(k => k.Name != name).Append(new ManagerKey(name, groupMask, Hash(secret), id, now)).ToList();
            Save();
        }
        return secret;
    }

    /// <summary>Writes the keys and remembers the file's stamp. Caller holds the gate.</summary>
    private void Save()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        SecretFile.WriteAllText(_path, JsonSerializer.Serialize(_keys, new JsonSerializerOptions { WriteIndented = true }));
        _loaded = Stamp();
        _generation++;
    }

    /// <summary>The identity a secret key belongs to, or null. Constant-time on the hash.</summary>
    public ManagerKey? Find(string? secret)
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

    /// <summary>Re-reads the key file when another process (the CLI) rewrote it. Caller holds the gate.</summary>
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
                _keys = JsonSerializer.Deserialize<List<ManagerKey>>(File.ReadAllText(_path)) ?? [];
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
