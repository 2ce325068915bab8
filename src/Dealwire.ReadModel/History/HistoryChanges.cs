using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;

namespace Dealwire.ReadModel.History;

/// <summary>
/// What a run of committed batches changes in the history store, folded so one transaction writes each row once:
/// a ticket's last state wins (an edit after a close in the same run writes the edited row), candles merge, the
/// ledger and end-of-day rows append. Built fresh for every write attempt, so a retry never double-counts.
/// </summary>
public sealed class HistoryChanges
{
    private readonly Dictionary<(long Ticket, bool Order), (TradeRecord Trade, long Sequence)> _trades = new();
    private readonly HashSet<long> _reopened = new();
    private readonly HashSet<long> _replaced = new();
    private readonly Dictionary<long, HistoryAccount> _accounts = new();
    private readonly Dictionary<(string Symbol, int Timeframe, long Time), Candle> _candles = new();

    /// <summary>
    /// Closed deals, retired orders and finance records to insert or replace, with the sequence that last changed them.
    /// Keyed by ticket and table: an activated pending order and the position it became share a ticket.
    /// </summary>
    public IEnumerable<(TradeRecord Trade, long Sequence)> Trades => _trades.Values;

    /// <summary>Tickets of closed deals re-opened (restored to open positions): they leave the history tables.</summary>
    public IReadOnlyCollection<long> Reopened => _reopened;

    /// <summary>
    /// Tickets that may already have a row from an earlier run: edited, deleted, archived or restored here. Every other
    /// history ticket of the run (a close, a finance record, a retired order) enters the store for the first time, so a
    /// bulk writer may append it without looking for an old row first.
    /// </summary>
    public IReadOnlyCollection<long> Replaced => _replaced;

    public List<(LedgerEntry Entry, long Sequence)> Ledger { get; } = new();

    public IReadOnlyCollection<HistoryAccount> Accounts => _accounts.Values;

    public List<EndOfDayRow> EndOfDay { get; } = new();

    public List<AuditEntry> Audit { get; } = new();

    /// <summary>Every journaled tick of the run (the tick history; candles fold the same ticks).</summary>
    public List<Ticks.TickRow> Ticks { get; } = new();

    /// <summary>Tick candles folded after the run's last chart edit (or in the whole run when it has none).</summary>
    public IReadOnlyCollection<Candle> Candles => _candles.Values;

    /// <summary>
    /// Managers' chart edits in commit order, each with the tick candles folded before it: the store merges those,
    /// then applies the edit, so a run folded into one write ends where the same commands one by one would.
    /// </summary>
    public List<(IReadOnlyCollection<Candle> TicksBefore, EditChart Edit)> ChartEdits { get; } = new();

    public long FirstSequence { get; private set; }

    public long LastSequence { get; private set; }

    public int Commands { get; private set; }

    public bool IsEmpty => Commands == 0;

    public static HistoryChanges From(IEnumerable<CommittedBatch> batches)
    {
        var changes = new HistoryChanges();
        foreach (var b in batches) changes.Add(b);
        return changes;
    }

    public void Add(CommittedBatch batch)
    {
        if (FirstSequence == 0) FirstSequence = batch.FirstSequence;
        LastSequence = batch.LastSequence;
        Commands += batch.Commands.Count;
        // The audit images walk the events with one cursor when they are in sequence order (as the engine emits them).
        var inOrder = true;
        long previous = 0;
        foreach (var e in batch.Events)
        {
            inOrder &= e.Sequence >= previous;
            previous = e.Sequence;
            AddEvent(e);
        }
        var events = inOrder ? 0 : -1;
        foreach (var c in batch.Commands) AddCommand(c, batch.Events, ref events);
    }

    /// <summary>Which history table a record belongs to, or null while it is live (open position, pending order).</summary>
    public static HistoryKinds? KindOf(TradeRecord t)
    {
        if (t.Command.IsFinance()) return HistoryKinds.Finance;
        if (t.Command.IsPending()) return t.State == TradeState.OpenNormal ? null : HistoryKinds.Orders;
        return t.State is TradeState.ClosedNormal or TradeState.ClosedPart or TradeState.ClosedBy or TradeState.Deleted
            ? HistoryKinds.Deals : null;
    }

    private void AddEvent(EngineEvent e)
    {
        switch (e)
        {
            case TradeEvent te:
                if (te.Change is not (RecordChange.Add or RecordChange.CloseTrade or RecordChange.ActivateTrade)) _replaced.Add(te.Trade.Ticket);
                if (KindOf(te.Trade) is { } kind)
                {
                    _trades[(te.Trade.Ticket, kind == HistoryKinds.Orders)] = (te.Trade, te.Sequence);
                    if (kind != HistoryKinds.Orders) _reopened.Remove(te.Trade.Ticket);
                }
                else if (te.Change == RecordChange.Restore)
                {
                    // A closed deal came back to life: it is an open position again, not history.
                    _trades.Remove((te.Trade.Ticket, false));
                    _reopened.Add(te.Trade.Ticket);
                }
                break;
            case BalanceEvent be:
                Ledger.Add((be.Entry, be.Sequence));
                SeeAccount(be.Margin, be.Sequence, deleted: false);
                break;
            case AccountEvent ae:
                SeeAccount(ae.Account.Margin, ae.Sequence, ae.Change == RecordChange.Delete);
                break;
            case EndOfDayEvent eod:
                foreach (var m in eod.Accounts)
                {
                    EndOfDay.Add(new EndOfDayRow(eod.Day, m.Login, eod.RolloverTime, eod.MonthEnd, m.Currency,
                        m.Balance, m.Credit, m.Equity, m.Margin, m.FreeMargin, m.Profit, eod.Sequence));
                }
                break;
        }
    }

    private void SeeAccount(MarginSnapshot m, long sequence, bool deleted)
    {
        // The group is the only thing queries need often; a balance event carries it too, so a directory
        // built from a stream that started mid-life still learns every active login.
        if (_accounts.TryGetValue(m.Login, out var known) && !deleted && known.Group == m.Group && known.Currency == m.Currency
            && known.Leverage == m.Leverage && !known.Deleted) return;
        _accounts[m.Login] = new HistoryAccount(m.Login, m.Group, m.Currency, m.Leverage, deleted, sequence);
    }

    private void AddCommand(EngineCommand c, IReadOnlyList<EngineEvent> events, ref int nextEvent)
    {
        if (c is ApplyTick tick)
        {
            AddTick(tick);
            return;
        }
        if (c is EditChart edit)
        {
            ChartEdits.Add((_candles.Values.ToList(), edit));
            _candles.Clear();
        }
        if (!AuditPolicy.IsAudited(c)) return;
        var images = AuditPolicy.ImageWriter.ForThisThread;
        Audit.Add(new AuditEntry(c.Sequence, c.Time, c.Actor, null, AuditPolicy.CommandName(c),
            images.CommandJson(c), images.After(c.Sequence, events, ref nextEvent)));
    }

    private void AddTick(ApplyTick tick)
    {
        Ticks.Add(new Ticks.TickRow(tick.Symbol, tick.Time, tick.Sequence, tick.Bid, tick.Ask));
        foreach (var tf in Timeframes.All)
        {
            var key = (tick.Symbol, tf, Timeframes.PeriodStart(tick.Time, tf));
            _candles[key] = _candles.TryGetValue(key, out var c)
                ? c with { High = Math.Max(c.High, tick.Bid), Low = Math.Min(c.Low, tick.Bid), Close = tick.Bid, Ticks = c.Ticks + 1 }
                : new Candle(tick.Symbol, tf, key.Item3, tick.Bid, tick.Bid, tick.Bid, tick.Bid, 1);
        }
    }
}
