using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>
/// Idempotency keys of money and position commands (<see cref="IIdempotentCommand"/>), scoped to the caller
/// (<see cref="EngineCommand.Actor"/>). The key travels in the journaled command, so replaying the journal
/// rebuilds the store; snapshots carry it and the state hash covers it.
/// </summary>
public sealed partial class TradingEngine
{
    /// <summary>Longest key accepted: a caller's 128-character reference plus a gateway's prefix.</summary>
    public const int MaxIdempotencyKeyLength = 200;

    private readonly IdempotencyStore _keys = new();

    /// <summary>Fingerprint of the command being executed when it carries a key; null otherwise.</summary>
    private string? _fingerprint;

    /// <summary>
    /// For a command whose key is live: its original outcome (same request) or a refusal (different request).
    /// Null when the command must run. Reads only; <see cref="RememberOutcome"/> writes after acceptance.
    /// </summary>
    private (ReturnCode Code, string Message, object? Value)? AnswerRepeat(EngineCommand command)
    {
        _fingerprint = null;
        if (command is not IIdempotentCommand { IdempotencyKey: { } key }) return null;
        if (key.Length is 0 or > MaxIdempotencyKeyLength) return Reject(ReturnCode.InvalidData, $"idempotency key must be 1-{MaxIdempotencyKeyLength} characters");
        _fingerprint = IdempotencyFingerprint.Of(command);
        if (_keys.Find(command.Actor, key, Now, Settings) is not { } first) return null;
        Counters.IdempotentRepeats++;
        return first.Fingerprint == _fingerprint
            ? Unchanged(first.Value)
            : Reject(ReturnCode.ErrDuplicate, $"idempotency key \"{key}\" was used by command #{first.Sequence} with a different request");
    }

    /// <summary>Keeps the outcome of an accepted command that carried a key.</summary>
    private void RememberOutcome(EngineCommand command, object? value)
    {
        if (_fingerprint is null || command is not IIdempotentCommand { IdempotencyKey: { } key }) return;
        _keys.Add(new IdempotencyRecord(command.Actor, key, _fingerprint, command.Sequence, Now)
        {
            Entry = value as LedgerEntry,
            Trade = value as TradeRecord,
        }, Now, Settings);
        _fingerprint = null;
    }

    /// <summary>The live record of a caller's key, for gateways deciding whether a request is a retry.</summary>
    public IdempotencyRecord? FindIdempotency(string caller, string key) => _keys.Find(caller, key, Now, Settings);

    private void HashIdempotency(StateHasher h)
    {
        h.Add(_keys.Count);
        foreach (var r in _keys.Records)
        {
            h.Add(r.Caller);
            h.Add(r.Key);
            h.Add(r.Fingerprint);
            h.Add(r.Sequence);
            h.Add(r.Time);
            // The stored outcome in full: it is what a retry answers, and the ledger it came from is not engine state.
            h.Add(r.Entry is not null);
            if (r.Entry is { } e) RecordHash.Add(h, e);
            h.Add(r.Trade is not null);
            if (r.Trade is { } t) RecordHash.Add(h, t);
        }
    }
}
