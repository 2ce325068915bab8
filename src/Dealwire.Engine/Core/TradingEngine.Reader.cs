using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;

namespace Dealwire.Engine.Core;

/// <summary>Read access for gateways (engine thread only: see <see cref="Runtime.IEngineReader"/>).</summary>
public sealed partial class TradingEngine
{
    public AccountSnapshot? GetAccount(long login) =>
        _accounts.TryGetValue(login, out var a) ? new AccountSnapshot(a.Profile, FiguresOf(a)) : null;

    public IEnumerable<AccountSnapshot> GetAccounts(GroupMask mask)
    {
        foreach (var a in _accounts.Values)
        {
            if (mask.Matches(a.GroupConfig.Name)) yield return new AccountSnapshot(a.Profile, FiguresOf(a));
        }
    }

    public MarginSnapshot? GetMargin(long login) => _accounts.TryGetValue(login, out var a) ? FiguresOf(a) : null;

    public IEnumerable<TradeRecord> GetPositions(long? login = null)
    {
        foreach (var a in AccountsOf(login))
        {
            // Ticket order, so a client paging through positions sees the same order after a restart.
            foreach (var p in a.Positions.OrderBy(t => t.Ticket)) yield return Record(p);
        }
    }

    public IEnumerable<TradeRecord> GetPendingOrders(long? login = null)
    {
        foreach (var a in AccountsOf(login))
        {
            foreach (var o in a.Orders.OrderBy(t => t.Ticket)) yield return Record(o);
        }
    }

    private IEnumerable<Account> AccountsOf(long? login)
    {
        if (login is null) return _accounts.Values;
        return _accounts.TryGetValue(login.Value, out var a) ? [a] : [];
    }

    public TradeRecord? GetTrade(long ticket) => _open.TryGetValue(ticket, out var t) ? Record(t) : null;

    public IEnumerable<SymbolConfig> GetSymbols() => _symbolList.Select(s => s.Config);

    public SymbolConfig? GetSymbol(string name) => _symbols.TryGetValue(name, out var s) ? s.Config : null;

    public Quote? GetQuote(string symbol, string? group = null)
    {
        if (!_symbols.TryGetValue(symbol, out var s) || !s.Raw.IsSet) return null;
        if (group is null || !_groups.TryGetValue(group, out var g)) return s.Raw;
        return GroupQuote(s, g.Config);
    }

    public IEnumerable<SymbolGroupConfig> GetSymbolGroups() => _symbolGroups.Values;

    public IEnumerable<GroupConfig> GetGroups() => _groupList.Select(g => g.Config);

    public GroupConfig? GetGroup(string name) => _groups.TryGetValue(name, out var g) ? g.Config : null;

    public AccountChanges GetChangedAccounts(long since)
    {
        var logins = new List<long>();
        foreach (var a in _accounts.Values)
        {
            if (a.ChangedAt > since) logins.Add(a.Login);
        }
        return new AccountChanges(logins, _changeClock);
    }
}
