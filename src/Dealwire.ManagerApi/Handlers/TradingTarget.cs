using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ManagerApi.Protocol;
using Dealwire.ManagerApi.Session;

namespace Dealwire.ManagerApi.Handlers;

/// <summary>The account (and instrument or trade) a trading command acts on, read from the engine.</summary>
internal sealed record TradingContext(bool Enabled, string Currency, string? Symbol, TradeRecord? Trade);

/// <summary>Shared checks of the trading commands.</summary>
internal static class TradingTarget
{
    /// <summary>Trading commands name both trader and account; in Dealwire they are the same login.</summary>
    public static long Login(Request request)
    {
        var trader = request.RequiredId("trader_id", EntityKind.Trader);
        var account = request.RequiredId("account_id", EntityKind.Account);
        return trader == account ? account : throw new RequestRejectedException(ManagerErrors.AccountNotFound);
    }

    /// <summary>Lots to centi-lots: positive, in steps of 0.01.</summary>
    public static int Volume(decimal lots)
    {
        var volume = lots * 100m;
        if (volume <= 0 || volume != decimal.Truncate(volume)) throw new RequestRejectedException(ManagerErrors.LotsTooLow);
        if (volume > int.MaxValue) throw new RequestRejectedException(ManagerErrors.LotsTooHigh);
        return (int)volume;
    }

    /// <summary>Loads the account (must be visible to the manager), the instrument and/or the trade of that account.</summary>
    public static async Task<TradingContext> Load(ManagerSession session, long login, string? symbol, long? ticket = null)
    {
        var mask = session.Mask;
        var context = await session.ReadAsync(r =>
        {
            var views = new ViewReader(r, mask);
            if (views.VisibleAccount(login) is not { } account) return null;
            string? name = null;
            if (symbol is not null)
            {
                name = r.GetSymbol(symbol)?.Name
                    ?? r.GetSymbols().FirstOrDefault(s => string.Equals(s.Name, symbol, StringComparison.OrdinalIgnoreCase))?.Name
                    ?? "";
            }
            var trade = ticket is { } t && r.GetOpenTrade(t) is { } found && found.Login == login ? found : null;
            return new TradingContext(account.Profile.Enabled && !account.Profile.ReadOnly, account.Margin.Currency, name, trade);
        });
        if (context is null) throw new RequestRejectedException(ManagerErrors.AccountNotFound);
        if (context.Symbol == "") throw new RequestRejectedException(ManagerErrors.AssetPairNotFound);
        return context;
    }

    public static TradeRecord Check(CommandResult<TradeRecord> result, TradeTarget target, bool stopLossChanged) =>
        result.IsOk && result.Value is { } trade ? trade : throw new RequestRejectedException(TradeErrors.Map(result.Code, target, stopLossChanged));
}
