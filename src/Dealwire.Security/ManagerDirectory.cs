using System.Collections.Frozen;
using System.Text.Json;

namespace Dealwire.Security;

/// <summary>
/// The manager records of a data directory, in <c>keys/managers.json</c> (written atomically, owner-only like the
/// key files). A durable store rather than engine records: managers are access control, not trading state — no
/// balance, position or replayed outcome depends on them — and the CLI must be able to create one while the server
/// runs or before it ever started. A running server sees a change written by another process within
/// <see cref="ExternalCheckInterval"/>; its own changes apply at once. Reads are lock-free over an immutable snapshot
/// (every staff command of the Server API reads it). Thread-safe.
/// </summary>
public sealed class ManagerDirectory
{
    /// <summary>At most this often a read checks whether another process rewrote the file (one stat).</summary>
    public static readonly TimeSpan ExternalCheckInterval = TimeSpan.FromMilliseconds(250);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly string _path;
    private readonly object _gate = new();
    private volatile Snapshot _snapshot = Snapshot.Empty;
    private (DateTime Written, long Length) _loaded = (DateTime.MinValue, -1);
    private long _generation;
    private long _nextCheck;

    public ManagerDirectory(string path)
    {
        _path = path;
        lock (_gate) ReloadIfChanged(raise: false);
    }

    /// <summary>Raised (outside the lock) when a reload finds records changed by another process, e.g. <c>dealwire manager</c>.</summary>
    public event Action<IReadOnlyList<ManagerChange>>? ChangedOutside;

    /// <summary>Every record, deleted ones included, by id.</summary>
    public IReadOnlyList<ManagerRecord> All => Current.Records;

    /// <summary>Records not deleted, by id.</summary>
    public IReadOnlyList<ManagerRecord> Listed => Current.Records.Where(r => !r.Deleted).ToList();

    /// <summary>Changes each time the records are (re)loaded or changed.</summary>
    public long Generation
    {
        get
        {
            _ = Current;
            return Interlocked.Read(ref _generation);
        }
    }

    /// <summary>The record of <paramref name="id"/> (tombstones too) and its rights as one shared set, or null.</summary>
    public (ManagerRecord Record, IReadOnlySet<string> Rights)? Find(long id) =>
        Current.ById.TryGetValue(id, out var entry) ? entry : null;

    /// <summary>
    /// Like <see cref="Find"/>, but a record not known yet is looked for in the file at once (no throttle): a key
    /// issued by the CLI for a new manager must authenticate as soon as the key file shows it.
    /// </summary>
    public (ManagerRecord Record, IReadOnlySet<string> Rights)? FindFresh(long id)
    {
        if (Find(id) is { } found) return found;
        IReadOnlyList<ManagerChange>? changes;
        lock (_gate) changes = ReloadIfChanged(raise: true);
        if (changes is { Count: > 0 }) ChangedOutside?.Invoke(changes);
        return Find(id);
    }

    /// <summary>The record named <paramref name="name"/> (case-insensitive, deleted ones skipped), or null.</summary>
    public ManagerRecord? FindByName(string name) =>
        Current.Records.FirstOrDefault(r => !r.Deleted && string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The record with e-mail <paramref name="email"/> (case-insensitive, deleted ones skipped), or null.</summary>
    public ManagerRecord? FindByEmail(string email) => email.Length == 0 ? null :
        Current.Records.FirstOrDefault(r => !r.Deleted && string.Equals(r.Email, email, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Adds a manager with the next free id (above every id ever used, and at least <paramref name="minimumId"/>).
    /// Throws <see cref="ManagerRecordException"/> on a duplicate name or e-mail.
    /// </summary>
    public ManagerRecord Add(ManagerRecord draft, DateTimeOffset now, long minimumId = 1)
    {
        lock (_gate)
        {
            ReloadIfChanged(raise: true);
            var records = _snapshot.Records;
            RequireUnique(records, draft, exceptId: null);
            var id = Math.Max(minimumId, records.Count == 0 ? 1 : records.Max(r => r.Id) + 1);
            var record = Normalize(draft with { Id = id, Created = now, Updated = now });
            Save(records.Append(record));
            return record;
        }
    }

    /// <summary>Adds a record under its own id (migration of an older key file); false when the id is taken.</summary>
    public bool Import(ManagerRecord record)
    {
        lock (_gate)
        {
            ReloadIfChanged(raise: true);
            if (_snapshot.ById.ContainsKey(record.Id)) return false;
            Save(_snapshot.Records.Append(Normalize(record)));
            return true;
        }
    }

    /// <summary>Changes a record (not a deleted one); null when there is none. Throws on a duplicate name or e-mail.</summary>
    public ManagerRecord? Update(long id, Func<ManagerRecord, ManagerRecord> change, DateTimeOffset now)
    {
        lock (_gate)
        {
            ReloadIfChanged(raise: true);
            if (!_snapshot.ById.TryGetValue(id, out var entry) || entry.Record.Deleted) return null;
            var updated = Normalize(change(entry.Record) with { Id = id, Created = entry.Record.Created, Updated = now, Deleted = false });
            RequireUnique(_snapshot.Records, updated, exceptId: id);
            Save(_snapshot.Records.Select(r => r.Id == id ? updated : r));
            return updated;
        }
    }

    /// <summary>Deletes a manager, keeping a disabled tombstone (see <see cref="ManagerRecord.Deleted"/>); false when there is none.</summary>
    public bool Delete(long id, DateTimeOffset now)
    {
        lock (_gate)
        {
            ReloadIfChanged(raise: true);
            if (!_snapshot.ById.TryGetValue(id, out var entry) || entry.Record.Deleted) return false;
            var tombstone = entry.Record with { Deleted = true, Enable = false, PasswordHash = "", Updated = now };
            Save(_snapshot.Records.Select(r => r.Id == id ? tombstone : r));
            return true;
        }
    }

    private Snapshot Current
    {
        get
        {
            var now = Environment.TickCount64;
            if (now >= Interlocked.Read(ref _nextCheck))
            {
                Interlocked.Exchange(ref _nextCheck, now + (long)ExternalCheckInterval.TotalMilliseconds);
                IReadOnlyList<ManagerChange>? changes;
                lock (_gate) changes = ReloadIfChanged(raise: true);
                if (changes is { Count: > 0 }) ChangedOutside?.Invoke(changes);
            }
            return _snapshot;
        }
    }

    private static void RequireUnique(IReadOnlyList<ManagerRecord> records, ManagerRecord candidate, long? exceptId)
    {
        foreach (var r in records)
        {
            if (r.Deleted || r.Id == exceptId) continue;
            if (string.Equals(r.Name, candidate.Name, StringComparison.OrdinalIgnoreCase))
                throw new ManagerRecordException(ManagerRecordError.Duplicate, $"a manager named '{candidate.Name}' exists (id {r.Id})");
            if (candidate.Email.Length > 0 && string.Equals(r.Email, candidate.Email, StringComparison.OrdinalIgnoreCase))
                throw new ManagerRecordException(ManagerRecordError.Duplicate, $"e-mail '{candidate.Email}' belongs to manager {r.Id}");
        }
    }

    private static ManagerRecord Normalize(ManagerRecord record) => record with
    {
        Rights = record.Rights.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
        WasAdmin = record.WasAdmin || record.Admin,
    };

    /// <summary>Writes the records and publishes them. Caller holds the gate.</summary>
    private void Save(IEnumerable<ManagerRecord> records)
    {
        var list = records.OrderBy(r => r.Id).ToList();
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        SecretFile.WriteAllText(_path, JsonSerializer.Serialize(list, Indented));
        _loaded = Stamp();
        Publish(list);
    }

    private void Publish(List<ManagerRecord> records)
    {
        _snapshot = new Snapshot(records);
        Interlocked.Increment(ref _generation);
    }

    /// <summary>Re-reads the file when another process rewrote it; returns what changed. Caller holds the gate.</summary>
    private List<ManagerChange>? ReloadIfChanged(bool raise)
    {
        var stamp = Stamp();
        if (stamp == _loaded) return null;
        List<ManagerRecord> records;
        if (stamp.Length < 0)
        {
            records = [];
        }
        else
        {
            try
            {
                records = JsonSerializer.Deserialize<List<ManagerRecord>>(File.ReadAllText(_path)) ?? [];
            }
            catch (IOException)
            {
                return null; // being replaced right now (atomic rename): keep what we have, retry next time
            }
        }
        var before = _snapshot;
        _loaded = stamp;
        Publish(records.OrderBy(r => r.Id).ToList());
        return raise ? Diff(before, _snapshot) : null;
    }

    private static List<ManagerChange> Diff(Snapshot before, Snapshot after)
    {
        var changes = new List<ManagerChange>();
        foreach (var r in after.Records)
        {
            if (!before.ById.TryGetValue(r.Id, out var old)) changes.Add(new(r.Id, "AddManager", Describe(r)));
            else if (old.Record != r) changes.Add(new(r.Id, r.Deleted && !old.Record.Deleted ? "DeleteManager" : "UpdateManager", Describe(r)));
        }
        return changes;
    }

    /// <summary>What the audit log shows of a record: never the password hash.</summary>
    public static string Describe(ManagerRecord r) =>
        $"manager {r.Id} '{r.Name}': enable={(r.Enable ? 1 : 0)} admin={(r.Admin ? 1 : 0)} groups='{r.Groups}' rights=[{string.Join(',', r.Rights)}]{(r.Deleted ? " deleted" : "")}";

    private (DateTime Written, long Length) Stamp()
    {
        var info = new FileInfo(_path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }

    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = new([]);

        public Snapshot(List<ManagerRecord> records)
        {
            Records = records;
            // One rights set per record and snapshot: a bound identity keeps the reference, so an unchanged record
            // is recognised without comparing sets (see ManagerKeyStore.Current).
            ById = records.ToFrozenDictionary(r => r.Id, r => (r, (IReadOnlySet<string>)r.Rights.ToFrozenSet(StringComparer.Ordinal)));
        }

        public IReadOnlyList<ManagerRecord> Records { get; }
        public FrozenDictionary<long, (ManagerRecord Record, IReadOnlySet<string> Rights)> ById { get; }
    }
}

public enum ManagerRecordError { Duplicate }

/// <summary>A change the records refuse (a duplicate name or e-mail).</summary>
public sealed class ManagerRecordException(ManagerRecordError error, string message) : Exception(message)
{
    public ManagerRecordError Error { get; } = error;
}
