using System.Text.Json.Serialization;

namespace Dealwire.Security;

/// <summary>
/// A Manager API key: the hash of its secret and the manager record it belongs to (<see cref="ManagerId"/>). Name and
/// group mask are copied from the record whenever the store hands a key out; <see cref="Rights"/> and
/// <see cref="Admin"/> come only from the record and are not written to the key file.
/// </summary>
public sealed record ManagerKey(string Name, string GroupMask, string KeyHash, long ManagerId, DateTimeOffset Created) : IHashedKey
{
    /// <summary>The record's rights (null: a key not bound to a record, which the store never hands out).</summary>
    [JsonIgnore]
    public IReadOnlySet<string>? Rights { get; init; }

    /// <summary>The record's admin flag.</summary>
    [JsonIgnore]
    public bool Admin { get; init; }
}

/// <summary>
/// Manager identities: the records of <see cref="Managers"/> and the Manager API secret keys that belong to them,
/// stored hashed (SHA-256) in <c>keys/manager-keys.json</c>. A key authenticates only while its manager exists and
/// is enabled, with the record's mask and rights, read at every use. A running server picks up changes made by the
/// CLI meanwhile (both files are re-read when their stamp changes). <see cref="Generation"/> counts those changes so
/// the Manager API can re-check open sessions (a revoked or re-issued key, or a disabled manager, closes them; a
/// changed mask applies at once). Key files of older data directories, written before managers were records, are
/// migrated on construction: each key's manager becomes a record with its id, name and mask and the default rights.
/// </summary>
public sealed class ManagerKeyStore
{
    private readonly HashedKeyFile<ManagerKey> _file;

    public ManagerKeyStore(string dataDirectory)
    {
        _file = new(Path.Combine(dataDirectory, "keys", "manager-keys.json"));
        Managers = new ManagerDirectory(Path.Combine(dataDirectory, "keys", "managers.json"));
        MigrateKeys();
    }

    /// <summary>The manager records (GetManagers, AddManager, …, <c>dealwire manager</c>).</summary>
    public ManagerDirectory Managers { get; }

    /// <summary>The keys that authenticate now: their manager exists and is enabled; mask and rights from the record.</summary>
    public IReadOnlyList<ManagerKey> Keys => _file.Keys.Select(Bind).OfType<ManagerKey>().ToList();

    /// <summary>Changes each time the keys or the manager records change; re-reads the files first when they changed.</summary>
    public long Generation => _file.Generation + Managers.Generation;

    /// <summary>Deletes the key of the manager named <paramref name="name"/>; false when there is none.</summary>
    public bool Revoke(string name)
    {
        var id = Managers.FindByName(name)?.Id;
        var names = _file.Keys.Where(k => k.Name == name || k.ManagerId == id).Select(k => k.Name).Distinct().ToList();
        var revoked = false;
        foreach (var keyName in names) revoked |= _file.Revoke(keyName);
        return revoked;
    }

    /// <summary>
    /// Creates a key for the manager named <paramref name="name"/> and returns the secret. A manager of that name that
    /// does not exist yet is created as a record (mask <paramref name="groupMask"/>, default rights); an existing one
    /// gets <paramref name="groupMask"/> as its mask, as re-issuing always did, and its earlier key is replaced.
    /// </summary>
    public string Issue(string name, string groupMask, DateTimeOffset now)
    {
        var record = Managers.FindByName(name);
        if (record is null)
        {
            record = Managers.Add(new ManagerRecord { Name = name, Groups = groupMask, Rights = Security.Rights.ManagerDefault.ToList() }, now, NextId());
        }
        else if (record.Groups != groupMask)
        {
            record = Managers.Update(record.Id, r => r with { Groups = groupMask }, now)!;
        }
        return IssueFor(record, now);
    }

    /// <summary>Creates a key for an existing record (replacing its earlier key) and returns the secret.</summary>
    public string IssueFor(ManagerRecord record, DateTimeOffset now)
    {
        foreach (var stale in _file.Keys.Where(k => k.ManagerId == record.Id && k.Name != record.Name)) _file.Revoke(stale.Name);
        return _file.Issue(record.Name, "dwk_", (hash, _) => new ManagerKey(record.Name, record.Groups, hash, record.Id, now));
    }

    /// <summary>
    /// The id the next new manager gets: above every record and every key ever issued, so a key of an older data
    /// directory never collides with a record.
    /// </summary>
    public long NextId()
    {
        var keys = _file.Keys;
        var records = Managers.All;
        return Math.Max(keys.Count == 0 ? 0 : keys.Max(k => k.ManagerId), records.Count == 0 ? 0 : records.Max(r => r.Id)) + 1;
    }

    /// <summary>The key a secret belongs to, bound to its enabled manager, or null. Constant-time on the hash.</summary>
    public ManagerKey? Find(string? secret) => _file.Find(secret) is { } key ? Bind(key) : null;

    /// <summary>
    /// The session identity a secret key stands for, or null: every protocol that accepts a manager key (gRPC
    /// integration, the web console, …) authenticates through here, so the mask and rights are decided in one place:
    /// the manager record.
    /// </summary>
    public SessionIdentity? Authenticate(string? secret) => Find(secret) is { } key ? IdentityOf(key) : null;

    /// <summary>The identity of a key handed out by this store (see <see cref="Authenticate"/>).</summary>
    public static SessionIdentity IdentityOf(ManagerKey key) => new()
    {
        Type = key.Admin ? SessionType.Admin : SessionType.Manager,
        Id = key.ManagerId,
        Name = key.Name,
        GroupMask = key.GroupMask,
        Rights = key.Rights ?? Security.Rights.ManagerDefault,
        ExpiresAt = DateTimeOffset.MaxValue,
    };

    /// <summary>
    /// The identity a staff token stands for now, read from its manager record: null when the manager is disabled or
    /// deleted (the command is refused), the record's mask and rights otherwise. A token with no record keeps its
    /// claims: it was minted by the holder of the signing key (<c>dealwire token issue</c>, the demo admin token).
    /// Admin tokens bind only to managers that have been admins (see <see cref="ManagerRecord.WasAdmin"/>).
    /// Returns <paramref name="identity"/> itself when nothing differs, so the per-command cost is one look-up.
    /// </summary>
    public SessionIdentity? Current(SessionIdentity identity)
    {
        if (!identity.IsStaff || identity.Type == SessionType.System) return identity;
        if (Managers.Find(identity.Id) is not { } entry) return identity;
        var (record, rights) = entry;
        if (identity.Type == SessionType.Admin && !record.WasAdmin) return identity;
        if (!record.Active) return null;
        var type = record.Admin ? SessionType.Admin : identity.Type == SessionType.Admin ? SessionType.Manager : identity.Type;
        if (identity.Type == type && ReferenceEquals(identity.Rights, rights) && identity.GroupMask == record.Groups && identity.Name == record.Name)
        {
            return identity;
        }
        return identity with { Type = type, Rights = rights, GroupMask = record.Groups, Name = record.Name };
    }

    private ManagerKey? Bind(ManagerKey key)
    {
        if (Managers.FindFresh(key.ManagerId) is not { } entry || !entry.Record.Active) return null;
        var record = entry.Record;
        return key with { Name = record.Name, GroupMask = record.Groups, Rights = entry.Rights, Admin = record.Admin };
    }

    /// <summary>Keys issued before managers were records: each key's manager becomes a record with the default rights.</summary>
    private void MigrateKeys()
    {
        foreach (var key in _file.Keys)
        {
            if (Managers.Find(key.ManagerId) is not null) continue;
            Managers.Import(new ManagerRecord
            {
                Id = key.ManagerId,
                Name = key.Name,
                Groups = key.GroupMask,
                Rights = Security.Rights.ManagerDefault.ToList(),
                Created = key.Created,
                Updated = key.Created,
            });
        }
    }
}
