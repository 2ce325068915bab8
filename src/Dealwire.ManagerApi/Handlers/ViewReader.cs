using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ManagerApi.Wire;

namespace Dealwire.ManagerApi.Handlers;

/// <summary>
/// Builds wire views from engine state inside one <see cref="EngineRunner.QueryAsync{T}"/> callback,
/// caching accounts, groups and symbols for the duration of that query. History rows come from the
/// history store (<see cref="HistoryRows"/>), read before the callback.
/// </summary>
internal sealed class ViewReader(IEngineReader reader, GroupMask mask)
{
    private readonly Dictionary<long, AccountSnapshot?> _accounts = new();
    private readonly Dictionary<string, GroupConfig?> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SymbolConfig?> _symbols = new(StringComparer.Ordinal);

    public IEngineReader Engine => reader;

    /// <summary>The account if it exists and the manager's mask covers its group.</summary>
    public AccountSnapshot? VisibleAccount(long login)
    {
        if (!_accounts.TryGetValue(login, out var account))
        {
            account = reader.GetAccount(login);
            _accounts[login] = account;
        }
        return account is not null && mask.Matches(account.Profile.Group) ? account : null;
    }

    public bool Sees(long login) => VisibleAccount(login) is not null;

    public GroupConfig? Group(string name)
    {
        if (!_groups.TryGetValue(name, out var group)) _groups[name] = group = reader.GetGroup(name);
        return group;
    }

    public SymbolConfig? Symbol(string name)
    {
        if (!_symbols.TryGetValue(name, out var symbol)) _symbols[name] = symbol = reader.GetSymbol(name);
        return symbol;
    }

    public AccountView? Account(long login) =>
        VisibleAccount(login) is { } a ? AccountView.From(a, Group(a.Profile.Group)) : null;

    public IEnumerable<AccountView> Accounts() =>
        reader.GetAccounts(mask).Select(a =>
        {
            _accounts[a.Profile.Login] = a;
            return AccountView.From(a, Group(a.Profile.Group));
        });

    public string Collateral(long login) => VisibleAccount(login)?.Margin.Currency ?? "";

    public PositionView Position(TradeRecord t)
    {
        var account = VisibleAccount(t.Login);
        var symbol = Symbol(t.Symbol);
        var quote = reader.GetQuote(t.Symbol) ?? default;
        return new PositionView(t, account?.Margin.Currency ?? "", account?.Margin.Leverage ?? 0, quote,
            symbol?.BaseCurrency ?? "", symbol?.ProfitCurrency ?? "");
    }

    public OrderView Order(TradeRecord t, OrderStatus status, bool isClose = false) => new(t, Collateral(t.Login), status, isClose);

    public PriceView? Price(SymbolConfig symbol) =>
        reader.GetQuote(symbol.Name) is { IsSet: true } q ? new PriceView(symbol.Name, q, symbol.BaseCurrency, symbol.ProfitCurrency) : null;
}
