using Dealwire.Engine.Model;

namespace Dealwire.ReadModel.Live;

/// <summary>
/// Open positions of the accounts of one group in one symbol, summed: the dealer's exposure cell. Volumes in the
/// trade's volume units (lots × 100); floating is the clients' profit plus swap, in their account currency.
/// </summary>
public sealed record ExposureCell(string Group, string Symbol, int Positions, long BuyVolume, long SellVolume, decimal Floating);

/// <summary>
/// Exposure kept as the view applies the stream: one cell per (group, symbol), updated by the difference each position
/// change makes (a tick's new profit, a partial close, a close, an account moved to another group), so reading the
/// exposure costs the number of cells, not the number of positions (50 000 on a dealer's console). Each position
/// remembers the cell it was added to; every change takes its old contribution out of that cell and adds the new.
/// </summary>
public sealed partial class LiveView
{
    private readonly Dictionary<(string Group, string Symbol), Cell> _exposure = new();
    // Each exposed position's cell by ticket: a figures batch updates every position, and a position that stays in its
    // cell (a tick moved its profit) swaps its contribution there without hashing a key or touching the map of cells.
    private readonly Dictionary<long, Cell> _exposureCellOf = new();

    /// <summary>The cells of groups that pass <paramref name="groupVisible"/> (asked once per group), in no set order.</summary>
    public IReadOnlyList<ExposureCell> GetExposure(Func<string, bool> groupVisible)
    {
        ArgumentNullException.ThrowIfNull(groupVisible);
        return Read(() =>
        {
            var visible = new Dictionary<string, bool>(StringComparer.Ordinal);
            var cells = new List<ExposureCell>();
            foreach (var c in _exposure.Values)
            {
                if (!visible.TryGetValue(c.Group, out var shown)) visible[c.Group] = shown = groupVisible(c.Group);
                if (shown) cells.Add(new ExposureCell(c.Group, c.Symbol, c.Positions, c.Buy, c.Sell, c.Floating));
            }
            return cells;
        });
    }

    /// <summary>Takes <paramref name="old"/>'s contribution out and puts <paramref name="t"/>'s in (either may be null or not a position).</summary>
    private void ExposeTrade(TradeRecord? old, TradeRecord? t)
    {
        var group = t is { IsOpenPosition: true } && _accounts.TryGetValue(t.Login, out var account) ? account.Profile.Group : null;
        if (old is not null && _exposureCellOf.TryGetValue(old.Ticket, out var held))
        {
            if (group is not null && held.Group == group && held.Symbol == t!.Symbol && old.Ticket == t.Ticket)
            {
                held.Add(old, -1);
                held.Add(t, +1);
                return;
            }
            Unexpose(old);
        }
        if (group is null) return;
        var key = (group, t!.Symbol);
        if (!_exposure.TryGetValue(key, out var cell)) _exposure[key] = cell = new Cell(group, t.Symbol);
        cell.Add(t, +1);
        _exposureCellOf[t.Ticket] = cell;
    }

    private void Unexpose(TradeRecord old)
    {
        if (!_exposureCellOf.Remove(old.Ticket, out var cell)) return;
        cell.Add(old, -1);
        if (cell.Positions == 0) _exposure.Remove((cell.Group, cell.Symbol));
    }

    /// <summary>An account appeared or changed group: its open positions move to the cells of the group it has now.</summary>
    private void ReexposeAccount(long login)
    {
        if (!_tradesByLogin.TryGetValue(login, out var book)) return;
        foreach (var t in book.Values)
        {
            if (t.IsOpenPosition) ExposeTrade(t, t);
        }
    }

    private void ClearExposure()
    {
        _exposure.Clear();
        _exposureCellOf.Clear();
    }

    /// <summary>Mutable sums of one (group, symbol), changed only under the view's write lock.</summary>
    private sealed class Cell(string group, string symbol)
    {
        public string Group { get; } = group;
        public string Symbol { get; } = symbol;

        public int Positions;
        public long Buy;
        public long Sell;
        public decimal Floating;

        public void Add(TradeRecord t, int sign)
        {
            Positions += sign;
            if (t.Command == TradeCommand.Buy) Buy += sign * (long)t.Volume;
            else Sell += sign * (long)t.Volume;
            Floating += sign * (t.Profit + t.Swap);
        }
    }
}
