using System.Text.Json.Serialization;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>
/// What an accepted idempotent command answered, kept under (caller, key): the fingerprint of the request
/// and its original result (a ledger entry or a trade record as it was at that moment).
/// </summary>
public sealed record IdempotencyRecord(string Caller, string Key, string Fingerprint, long Sequence, long Time)
{
    public LedgerEntry? Entry { get; init; }
    public TradeRecord? Trade { get; init; }

    /// <summary>The original result, as the command returned it.</summary>
    [JsonIgnore]
    public object? Value => (object?)Entry ?? Trade;
}

/// <summary>
/// The engine's idempotency keys, oldest first. Bounded two ways, both deterministic because they read
/// only engine state: at most <see cref="EngineSettings.IdempotencyKeysKept"/> keys, and a key is live for
/// <see cref="EngineSettings.IdempotencyWindowMs"/> of engine time after its command. Lookups never
/// change the store (a rejected or repeated command must leave no trace, or replay would diverge);
/// forgetting happens only when an accepted command adds a key, which the journal replays identically.
/// </summary>
internal sealed class IdempotencyStore
{
    private readonly Dictionary<(string Caller, string Key), IdempotencyRecord> _byKey = new();
    private readonly Queue<IdempotencyRecord> _order = new();

    public int Count => _byKey.Count;

    /// <summary>Records in the order they were added (the snapshot's order).</summary>
    public IEnumerable<IdempotencyRecord> Records => _order;

    /// <summary>The live record of (caller, key) at engine time <paramref name="now"/>, or null.</summary>
    public IdempotencyRecord? Find(string caller, string key, long now, EngineSettings settings) =>
        _byKey.TryGetValue((caller, key), out var record) && IsLive(record, now, settings) ? record : null;

    /// <summary>Forgets what fell out of the window, then remembers <paramref name="record"/>.</summary>
    public void Add(IdempotencyRecord record, long now, EngineSettings settings)
    {
        while (_order.TryPeek(out var oldest) && (!IsLive(oldest, now, settings) || _byKey.Count >= settings.IdempotencyKeysKept))
        {
            _order.Dequeue();
            if (_byKey.TryGetValue((oldest.Caller, oldest.Key), out var current) && ReferenceEquals(current, oldest)) _byKey.Remove((oldest.Caller, oldest.Key));
        }
        _byKey[(record.Caller, record.Key)] = record;
        _order.Enqueue(record);
    }

    /// <summary>Rebuilds from a snapshot (records in their original order).</summary>
    public void Restore(IEnumerable<IdempotencyRecord> records)
    {
        foreach (var r in records)
        {
            _byKey[(r.Caller, r.Key)] = r;
            _order.Enqueue(r);
        }
    }

    private static bool IsLive(IdempotencyRecord record, long now, EngineSettings settings) =>
        now - record.Time < settings.IdempotencyWindowMs;
}
