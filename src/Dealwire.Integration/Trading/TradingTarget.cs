using Dealwire.Engine.Model;
using Dealwire.Integration.Accounts;
using Dealwire.Integration.Auth;
using Dealwire.Integration.Contracts.Engine;
using Dealwire.Integration.Hosting;
using Dealwire.ReadModel.Live;

namespace Dealwire.Integration.Trading;

/// <summary>The account a trading request acts on, with its instrument and/or trade, as the live view holds them.</summary>
public sealed record TradingTarget(AccountSnapshot Account, SymbolConfig? Symbol, TradeRecord? Trade)
{
    public bool TradingEnabled => Account.Profile.Enabled && !Account.Profile.ReadOnly;

    /// <summary>
    /// Resolves the account (AccountNotFound when it is unknown, not a login, outside the caller's mask, or another
    /// trader's: the engine service has no TraderNotFound), then the instrument (InstrumentNotFound) and the trade of
    /// that account (null when absent; the caller decides whether that is PositionNotFound or a retry).
    /// </summary>
    public static (EngineOperationCode Code, TradingTarget? Target) Resolve(ILiveView view, Caller caller, string accountId, string traderId,
        string? instrument = null, string? tradeId = null)
    {
        if (WireNumbers.Login(accountId) is not { } login || view.GetAccount(login) is not { } account
            || !caller.Sees(account.Profile.Group) || AccountModels.TraderOf(account.Profile) != traderId)
        {
            return (EngineOperationCode.AccountNotFound, null);
        }
        SymbolConfig? symbol = null;
        if (instrument is not null && (symbol = view.GetSymbol(instrument)) is null) return (EngineOperationCode.InstrumentNotFound, null);
        TradeRecord? trade = null;
        if (tradeId is not null && WireNumbers.Login(tradeId) is { } ticket && view.GetOpenTrade(ticket) is { } t && t.Login == login) trade = t;
        return (EngineOperationCode.Ok, new TradingTarget(account, symbol, trade));
    }

    /// <summary>Whether a volume the engine refused was under the group's minimum for the symbol.</summary>
    public bool BelowMinimum(ILiveView view, int volume) =>
        Symbol is { } s && view.GetGroup(Account.Profile.Group)?.FindSecurity(s.SecurityIndex) is { } security && volume < security.LotMin;
}
