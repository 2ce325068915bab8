using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dealwire.Security;

namespace Dealwire.Feeds.Feeder;

/// <summary>A feeder identity: its name (the source name in /health), the symbols it may push (null: all) and the hash of its key.</summary>
public sealed record FeederKey(string Name, IReadOnlyList<string>? Symbols, string KeyHash, DateTimeOffset Created)
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
    private readonly string _path = Path.Combine(dataDirectory, "keys", "feeder-keys.json");
    private readonly object _gate = new();
    private List<FeederKey> _keys = [];
    private (DateTime Written, long Length) _loaded = (DateTime.MinValue, -1);

    public IReadOnlyList<FeederKey> Keys
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

    /// <summary>Creates a key for <paramref name="name"/> (replacing an older one of that name) and returns the secret.</summary>
    public string Issue(string name, IReadOnlyList<string>? symbols, DateTimeOffset now)
    {
        var secret = "dwf_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        lock (_gate)
        {
            ReloadIfChanged();
            _keys = _keys.Where(k => k.Name != name).Append(new FeederKey(name, symbols, Hash(secret), now)).ToList();
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

    /// <summary>The feeder a secret key belongs to, or null. Constant-time on the hash.</summary>
    public FeederKey? Find(string? secret)
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

    private void Save()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        SecretFile.WriteAllText(_path, JsonSerializer.Serialize(_keys, new JsonSerializerOptions { WriteIndented = true }));
        _loaded = Stamp();
    }

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
                _keys = JsonSerializer.Deserialize<List<FeederKey>>(File.ReadAllText(_path)) ?? [];
            }
            catch (IOException)
            {
                return; // being replaced right now (atomic rename): keep the keys we have, retry next time
            }
        }
        _loaded = stamp;
    }

    private (DateTime Written, long Length) Stamp()
    {
        var info = new FileInfo(_path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }

    private static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret))).ToLowerInvariant();
}
