using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Microsoft.Extensions.Logging;

namespace Dealwire.ReadModel.Live;

/// <summary>
/// Applying a committed batch. The engine's events carry whole records (an account, a trade, a configuration)
/// and the money after each change; the runner's <see cref="AccountFiguresEvent"/> carries the figures ticks
/// moved. Prices come from the journaled ticks themselves: a tick is journaled only when the engine accepted it,
/// and the engine stores it rounded to the symbol's digits, as done here.
/// </summary>
public sealed partial class LiveView
{
    public ValueTask OnBatchAsync(CommittedBatch batch, CancellationToken cancellationToken)
    {
        Apply(batch);
        return ValueTask.CompletedTask;
    }

    /// <summary>Applies one batch, publishes its sequence, then tells the observers. Batches must come in order.</summary>
    public void Apply(CommittedBatch batch)
    {
        var current = Sequence;
        if (batch.FirstSequence != current + 1)
        {
            throw new InvalidOperationException($"The live view is at sequence {current} and was given {batch.FirstSequence}..{batch.LastSequence}.");
        }
        _beforeBatch.Clear();
        _lock.EnterWriteLock();
        try
        {
            var configChanged = false;
            var next = 0;
            var events = batch.Events;
            foreach (var command in batch.Commands)
            {
                if (command is ApplyTick tick) ApplyTick(tick);
                // A command's events carry its sequence; the runner's figures come last, at the batch's last sequence.
                while (next < events.Count && events[next].Sequence <= command.Sequence) configChanged |= ApplyEvent(events[next++]);
            }
            while (next < events.Count) configChanged |= ApplyEvent(events[next++]);
            if (configChanged) RebuildPricing();
            // Inside the lock: a consistent read sees the sequence of exactly the state it read.
            Interlocked.Exchange(ref _sequence, batch.LastSequence);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
        _waiters.Release(batch.LastSequence);
        NotifyObservers(batch);
    }

    private void ApplyTick(ApplyTick tick)
    {
        var name = _symbols.Find(tick.Symbol) is not null ? tick.Symbol : _symbolBySource.GetValueOrDefault(tick.Symbol);
        if (name is null || _symbols.Find(name) is not { } symbol) return;
        // The engine's rounding of a feed price (Money.Price): half away from zero, to the symbol's digits.
        var bid = Math.Round(tick.Bid, symbol.Digits, MidpointRounding.AwayFromZero);
        var ask = Math.Round(tick.Ask, symbol.Digits, MidpointRounding.AwayFromZero);
        _quotes[name] = new Quote(bid, ask, tick.QuoteTime);
    }

    /// <summary>Applies one event; true when symbols or groups changed (the pricing table is then rebuilt).</summary>
    private bool ApplyEvent(EngineEvent e)
    {
        switch (e)
        {
            case AccountEvent { Change: RecordChange.Delete } a:
                if (_accounts.TryGetValue(a.Account.Profile.Login, out var deleted)) _beforeBatch.TryAdd(deleted.Profile.Login, deleted);
                RemoveAccount(a.Account.Profile.Login);
                return false;
            case AccountEvent a:
                var known = _accounts.TryGetValue(a.Account.Profile.Login, out var before);
                var moved = known && before!.Profile.Group != a.Account.Profile.Group;
                if (moved) _beforeBatch.TryAdd(before!.Profile.Login, before);
                _accounts[a.Account.Profile.Login] = a.Account;
                if (moved || !known) ReexposeAccount(a.Account.Profile.Login);
                return false;
            case BalanceEvent b:
                SetMargin(b.Margin);
                return false;
            case MarginLevelEvent m:
                SetMargin(m.Margin);
                return false;
            case EndOfDayEvent d:
                foreach (var margin in d.Accounts) SetMargin(margin);
                return false;
            case AccountFiguresEvent f:
                foreach (var margin in f.Accounts) SetMargin(margin);
                foreach (var position in f.Positions)
                {
                    if (_trades.ContainsKey(position.Ticket)) PutTrade(position);
                }
                return false;
            case TradeEvent t:
                if (t.Trade.IsOpenPosition || t.Trade.IsPendingOrder) PutTrade(t.Trade);
                else RemoveTrade(t.Trade.Ticket);
                return false;
            case SymbolEvent { Change: RecordChange.Delete } s:
                if (s.Symbol.Source.Length > 0) _symbolBySource.Remove(s.Symbol.Source);
                _symbols.Remove(s.Symbol.Name);
                _quotes.TryRemove(s.Symbol.Name, out _);
                return true;
            case SymbolEvent s:
                PutSymbol(s.Symbol);
                return true;
            case SymbolGroupEvent { Change: RecordChange.Delete } g:
                _symbolGroups.Remove(g.SymbolGroup.Index);
                return true;
            case SymbolGroupEvent g:
                _symbolGroups.Put(g.SymbolGroup.Index, g.SymbolGroup);
                return true;
            case GroupEvent { Change: RecordChange.Delete } g:
                _groups.Remove(g.Group.Name);
                return true;
            case GroupEvent g:
                _groups.Put(g.Group.Name, g.Group);
                return true;
            case DeskEvent d:
                _desks.Put(d.Desk.Code, d.Desk);
                return false;
            case CustomerEvent c:
                _customers.Put(c.Customer.CustomerId, c.Customer);
                return false;
            default:
                return false;
        }
    }

    private void SetMargin(MarginSnapshot margin)
    {
        if (_accounts.TryGetValue(margin.Login, out var a)) _accounts[margin.Login] = a with { Margin = margin };
    }

    private void RemoveAccount(long login)
    {
        _accounts.Remove(login);
        if (_tradesByLogin.Remove(login, out var book))
        {
            foreach (var ticket in book.Keys)
            {
                if (!_trades.Remove(ticket, out var old)) continue;
                UnindexTrade(old);
                Unexpose(old);
            }
        }
    }

    private void NotifyObservers(CommittedBatch batch)
    {
        foreach (var observer in Volatile.Read(ref _observers))
        {
            try
            {
                observer.OnApplied(batch, batch.Events);
            }
            catch (Exception ex)
            {
                // One broken fan-out must not stop the projection every gateway reads.
                _logger.LogError(ex, "Live view observer {Observer} failed on sequences {First}..{Last}", observer.GetType().Name, batch.FirstSequence, batch.LastSequence);
            }
        }
    }
}
