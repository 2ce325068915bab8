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
    private readonly Dictionary<long, (string Group, string Symbol)> _exposureCellOf = new();

    /// <summary>The cells of groups that pass <paramref name="groupVisible"/> (asked once per group), in no set order.</summary>
    public IReadOnlyList<ExposureCell> GetExposure(Func<string, bool> groupVisible)
    {
        ArgumentNullException.ThrowIfNull(groupVisible);
        return Read(() =>
        {
            var visible = new Dictionary<string, bool>(StringComparer.Ordinal);
            var cells = new List<ExposureCell>();
            foreach (var ((group, symbol), c) in _exposure)
            {
                if (!visible.TryGetValue(group, out var shown)) visible[group] = shown = groupVisible(group);
                if (shown) cells.Add(new ExposureCell(group, symbol, c.Positions, c.Buy, c.Sell, c.Floating));
            }
            return cells;
        });
    }

    /// <summary>Takes <paramref name="old"/>'s contribution out and puts <paramref name="t"/>'s in (either may be null or not a position).</summary>
    private void ExposeTrade(TradeRecord? old, TradeRecord? t)
    {
        if (old is not null) Unexpose(old);
        if (t is not { IsOpenPosition: true } || !_accounts.TryGetValue(t.Login, out var account)) return;
        var key = (account.Profile.Group, t.Symbol);
        if (!_exposure.TryGetValue(key, out var cell)) _exposure[key] = cell = new Cell();
        cell.Add(t, +1);
        _exposureCellOf[t.Ticket] = key;
    }

    private void Unexpose(TradeRecord old)
    {
        if (!_exposureCellOf.Remove(old.Ticket, out var key) || !_exposure.TryGetValue(key, out var cell)) return;
        cell.Add(old, -1);
        if (cell.Positions == 0) _exposure.Remove(key);
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

    /// <summary>Mutable sums, changed only under the view's write lock.</summary>
    private sealed class Cell
    {
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
