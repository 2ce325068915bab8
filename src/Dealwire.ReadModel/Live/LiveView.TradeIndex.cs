using Dealwire.Engine.Model;

namespace Dealwire.ReadModel.Live;

/// <summary>One page of live trades in ticket order, and how many trades matched in all.</summary>
public sealed record TradePage(IReadOnlyList<TradeRecord> Rows, int Count);

/// <summary>
/// The live trades indexed for paged reads (the dealer console's positions and orders at 50 000 positions): the tickets
/// of open positions and of pending orders in order, and of each symbol, kept apart the same way. A page walks the narrowest index that fits the filter (one
/// login's book, one symbol's tickets, or all) in ticket order, counts the matches and keeps only the page's rows: no
/// copy of every trade, no sort, no allocation beyond the page. Kept by <see cref="PutTrade"/> / <see cref="RemoveTrade"/>.
/// </summary>
public sealed partial class LiveView
{
    // [0] open positions, [1] pending orders: a page of one kind never walks the other.
    private readonly SortedSet<long>[] _ticketsInOrder = [new(), new()];
    private readonly Dictionary<(string Symbol, bool Pending), SortedSet<long>> _ticketsBySymbol = new();

    /// <summary>
    /// Open positions (<paramref name="pending"/> false) or pending orders (true) of accounts whose group passes
    /// <paramref name="groupVisible"/> (asked once per group), optionally of one login and one symbol: the rows
    /// <paramref name="skip"/>…<paramref name="skip"/>+<paramref name="take"/> in ticket order, and the count of all.
    /// </summary>
    public TradePage GetTradePage(bool pending, long? login, string? symbol, Func<string, bool> groupVisible, int skip, int take)
    {
        ArgumentNullException.ThrowIfNull(groupVisible);
        return Read(() =>
        {
            IEnumerable<long> tickets = login is { } one
                ? _tradesByLogin.TryGetValue(one, out var book) ? book.Keys : []
                : symbol is { Length: > 0 } s
                    ? _ticketsBySymbol.TryGetValue((s, pending), out var bySymbol) ? bySymbol : []
                    : _ticketsInOrder[pending ? 1 : 0];
            var visible = new Dictionary<string, bool>(StringComparer.Ordinal);
            var rows = new List<TradeRecord>(Math.Max(0, Math.Min(take, 256)));
            var count = 0;
            foreach (var ticket in tickets)
            {
                var t = _trades[ticket];
                if ((pending ? !t.IsPendingOrder : !t.IsOpenPosition) || (symbol is { Length: > 0 } && t.Symbol != symbol)) continue;
                if (!_accounts.TryGetValue(t.Login, out var account)) continue;
                var group = account.Profile.Group;
                if (!visible.TryGetValue(group, out var shown)) visible[group] = shown = groupVisible(group);
                if (!shown) continue;
                if (count >= skip && rows.Count < take) rows.Add(t);
                count++;
            }
            return new TradePage(rows, count);
        });
    }

    /// <summary>Whether a change of <paramref name="old"/> into <paramref name="t"/> moves it between indexes (new, other symbol, activated order).</summary>
    private static bool MovesIndex(TradeRecord? old, TradeRecord t) =>
        old is null || old.Symbol != t.Symbol || old.IsPendingOrder != t.IsPendingOrder;

    private void IndexTrade(TradeRecord t, TradeRecord? old)
    {
        if (old is not null) UnindexTrade(old);
        _ticketsInOrder[t.IsPendingOrder ? 1 : 0].Add(t.Ticket);
        if (!_ticketsBySymbol.TryGetValue((t.Symbol, t.IsPendingOrder), out var set)) _ticketsBySymbol[(t.Symbol, t.IsPendingOrder)] = set = new SortedSet<long>();
        set.Add(t.Ticket);
    }

    private void UnindexTrade(TradeRecord old)
    {
        _ticketsInOrder[old.IsPendingOrder ? 1 : 0].Remove(old.Ticket);
        var key = (old.Symbol, old.IsPendingOrder);
        if (!_ticketsBySymbol.TryGetValue(key, out var set)) return;
        set.Remove(old.Ticket);
        if (set.Count == 0) _ticketsBySymbol.Remove(key);
    }

    private void ClearTradeIndex()
    {
        foreach (var set in _ticketsInOrder) set.Clear();
        _ticketsBySymbol.Clear();
    }
}
