using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>What a trigger does when the market crosses its level.</summary>
internal enum TriggerKind : byte { StopLoss = 0, TakeProfit = 1, Trailing = 2, Pending = 3 }

/// <summary>
/// Which price a trigger watches and in which direction it fires: buy orders and the stops of sell
/// positions watch the ask, sell orders and the stops of buy positions watch the bid.
/// </summary>
internal enum TriggerSide : byte
{
    /// <summary>Fires when ask ≥ level (buy stop, buy stop-limit, SL of a sell).</summary>
    AskUp,
    /// <summary>Fires when ask ≤ level (buy limit, TP and trailing of a sell).</summary>
    AskDown,
    /// <summary>Fires when bid ≥ level (sell limit, TP and trailing of a buy).</summary>
    BidUp,
    /// <summary>Fires when bid ≤ level (sell stop, sell stop-limit, SL of a buy).</summary>
    BidDown,
}

internal readonly record struct TriggerKey(decimal Level, long Ticket, TriggerKind Kind);

/// <summary>Orders keys by level, then ticket and kind, so equal levels of different trades coexist.</summary>
internal sealed class TriggerKeyComparer : IComparer<TriggerKey>
{
    public static readonly TriggerKeyComparer Instance = new();

    public int Compare(TriggerKey x, TriggerKey y)
    {
        var c = x.Level.CompareTo(y.Level);
        if (c != 0) return c;
        c = x.Ticket.CompareTo(y.Ticket);
        return c != 0 ? c : ((byte)x.Kind).CompareTo((byte)y.Kind);
    }
}

/// <summary>A trigger taken off its book because the market crossed it.</summary>
internal readonly record struct FiredTrigger(TriggerBook Book, TriggerSide Side, TriggerKey Key);

/// <summary>Processing order of fired triggers: by ticket, then kind. Independent of book order, so replays and restores agree.</summary>
internal sealed class FiredTriggerComparer : IComparer<FiredTrigger>
{
    public static readonly FiredTriggerComparer Instance = new();

    public int Compare(FiredTrigger x, FiredTrigger y)
    {
        var c = x.Key.Ticket.CompareTo(y.Key.Ticket);
        return c != 0 ? c : ((byte)x.Key.Kind).CompareTo((byte)y.Key.Kind);
    }
}

/// <summary>
/// The price-ordered triggers of one symbol as one trading group sees it (group prices include the
/// group's markups). A tick asks each set for its nearest level only: when nothing is crossed that is
/// four O(log n) look-ups and no allocation, however many orders and stops wait.
/// </summary>
internal sealed class TriggerBook(SymbolState symbol, GroupState group)
{
    public readonly SymbolState Symbol = symbol;
    public readonly GroupState Group = group;
    private readonly SortedSet<TriggerKey> _askUp = new(TriggerKeyComparer.Instance);
    private readonly SortedSet<TriggerKey> _askDown = new(TriggerKeyComparer.Instance);
    private readonly SortedSet<TriggerKey> _bidUp = new(TriggerKeyComparer.Instance);
    private readonly SortedSet<TriggerKey> _bidDown = new(TriggerKeyComparer.Instance);

    /// <summary>Cached group price adjustment, valid while it matches the engine's config version.</summary>
    public int ConfigVersion = -1;
    public PriceAdjustment Adjust;

    public int Count => _askUp.Count + _askDown.Count + _bidUp.Count + _bidDown.Count;

    public void Add(TriggerSide side, TriggerKey key) => Set(side).Add(key);

    public void Remove(TriggerSide side, TriggerKey key) => Set(side).Remove(key);

    /// <summary>Moves every trigger the quote crossed into <paramref name="fired"/>.</summary>
    public void Collect(Quote q, List<FiredTrigger> fired)
    {
        CollectUp(_askUp, q.Ask, TriggerSide.AskUp, fired);
        CollectDown(_askDown, q.Ask, TriggerSide.AskDown, fired);
        CollectUp(_bidUp, q.Bid, TriggerSide.BidUp, fired);
        CollectDown(_bidDown, q.Bid, TriggerSide.BidDown, fired);
    }

    private void CollectUp(SortedSet<TriggerKey> set, decimal price, TriggerSide side, List<FiredTrigger> fired)
    {
        while (set.Count > 0)
        {
            var lowest = set.Min;
            if (lowest.Level > price) return;
            set.Remove(lowest);
            fired.Add(new FiredTrigger(this, side, lowest));
        }
    }

    private void CollectDown(SortedSet<TriggerKey> set, decimal price, TriggerSide side, List<FiredTrigger> fired)
    {
        while (set.Count > 0)
        {
            var highest = set.Max;
            if (highest.Level < price) return;
            set.Remove(highest);
            fired.Add(new FiredTrigger(this, side, highest));
        }
    }

    private SortedSet<TriggerKey> Set(TriggerSide side) => side switch
    {
        TriggerSide.AskUp => _askUp,
        TriggerSide.AskDown => _askDown,
        TriggerSide.BidUp => _bidUp,
        _ => _bidDown,
    };
}

/// <summary>The triggers one trade has on its book, so they can be taken off again when it changes or leaves.</summary>
internal sealed class TradeTriggers
{
    public TriggerBook Book = null!;
    public readonly (TriggerSide Side, TriggerKey Key)[] Entries = new (TriggerSide, TriggerKey)[3];
    public int Count;

    public bool Contains(TriggerSide side, TriggerKey key)
    {
        for (var i = 0; i < Count; i++)
        {
            if (Entries[i].Side == side && Entries[i].Key == key) return true;
        }
        return false;
    }
}
