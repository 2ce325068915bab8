using Dealwire.Engine.Model;

namespace Dealwire.ReadModel.Live;

/// <summary>One page of live trades in ticket order, and how many trades matched in all.</summary>
public sealed record TradePage(IReadOnlyList<TradeRecord> Rows, int Count);

/// <summary>
/// The live trades indexed for paged reads (the dealer console's positions and orders at 50 000 positions): every
/// ticket in order, and the tickets of each symbol in order. A page walks the narrowest index that fits the filter (one
/// login's book, one symbol's tickets, or all) in ticket order, counts the matches and keeps only the page's rows: no
/// copy of every trade, no sort, no allocation beyond the page. Kept by <see cref="PutTrade"/> / <see cref="RemoveTrade"/>.
/// </summary>
public sealed partial class LiveView
{
    private readonly SortedSet<long> _ticketsInOrder = new();
    private readonly Dictionary<string, SortedSet<long>> _ticketsBySymbol = new(StringComparer.Ordinal);

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
                    ? _ticketsBySymbol.TryGetValue(s, out var bySymbol) ? bySymbol : []
                    : _ticketsInOrder;
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

    private void IndexTrade(TradeRecord t, TradeRecord? old)
    {
        _ticketsInOrder.Add(t.Ticket);
        if (old is not null && old.Symbol != t.Symbol) UnindexSymbol(old);
        if (!_ticketsBySymbol.TryGetValue(t.Symbol, out var set)) _ticketsBySymbol[t.Symbol] = set = new SortedSet<long>();
        set.Add(t.Ticket);
    }

    private void UnindexTrade(TradeRecord old)
    {
        _ticketsInOrder.Remove(old.Ticket);
        UnindexSymbol(old);
    }

    private void UnindexSymbol(TradeRecord old)
    {
        if (!_ticketsBySymbol.TryGetValue(old.Symbol, out var set)) return;
        set.Remove(old.Ticket);
        if (set.Count == 0) _ticketsBySymbol.Remove(old.Symbol);
    }

    private void ClearTradeIndex()
    {
        _ticketsInOrder.Clear();
        _ticketsBySymbol.Clear();
    }
}
