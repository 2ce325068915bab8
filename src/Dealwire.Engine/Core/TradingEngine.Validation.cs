using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>Checks shared by every dealing command, each with its spec return code.</summary>
public sealed partial class TradingEngine
{
    private static ReturnCode? CheckAccountMayTrade(Account account, out string message)
    {
        message = "";
        if (!account.Profile.Enabled)
        {
            message = "account is disabled";
            return ReturnCode.AccountDisabled;
        }
        if (account.Profile.ReadOnly)
        {
            message = "account is read-only";
            return ReturnCode.TradeReadOnly;
        }
        if (!account.GroupConfig.Enabled)
        {
            message = "group is disabled";
            return ReturnCode.AccountDisabled;
        }
        return null;
    }

    /// <summary>May the account open new exposure on this symbol (security, trade mode, session)?</summary>
    private ReturnCode? CheckSymbolOpen(Account account, SymbolState symbol, out string message)
    {
        message = "";
        var sec = SecurityFor(account.GroupConfig, symbol.Config);
        if (!_symbolGroups.TryGetValue(symbol.Config.SecurityIndex, out var secGroup) && _symbolGroups.Count > 0)
        {
            message = "symbol group is not configured";
            return ReturnCode.TradeSecurityNotFound;
        }
        // null = every symbol group; a list (even an empty one) = only those listed.
        if (account.GroupConfig.Securities is not null && account.GroupConfig.FindSecurity(symbol.Config.SecurityIndex) is null)
        {
            message = $"symbol group of {symbol.Config.Name} is not enabled for group {account.GroupConfig.Name}";
            return ReturnCode.TradeSecurityNotFound;
        }
        if (!sec.TradeAllowed || secGroup is { TradeAllowed: false } || symbol.Config.TradeMode != SymbolTradeMode.Full)
        {
            message = symbol.Config.TradeMode == SymbolTradeMode.CloseOnly ? "symbol is close-only" : "trading is disabled for this symbol";
            return ReturnCode.TradeDisabled;
        }
        return CheckMarketOpen(symbol, out message);
    }

    private ReturnCode? CheckMarketOpen(SymbolState symbol, out string message)
    {
        message = "";
        if (!Sessions.IsTradingOpen(symbol.Config, Now))
        {
            message = "market is closed";
            return ReturnCode.TradeMarketClosed;
        }
        return null;
    }

    private static ReturnCode? CheckVolume(GroupSecurity sec, SymbolConfig symbol, int volume, out string message)
    {
        message = "";
        if (volume <= 0 || volume < sec.LotMin || volume > sec.LotMax || (volume - sec.LotMin) % sec.LotStep != 0
            || (symbol.MaxVolume > 0 && volume > symbol.MaxVolume))
        {
            message = $"volume {volume} outside {sec.LotMin}-{sec.LotMax} step {sec.LotStep}";
            return ReturnCode.TradeBadVolume;
        }
        return null;
    }

    /// <summary>
    /// SL below and TP above a buy's reference price (the reverse for a sell), each at least the
    /// symbol's stops level away. The reference is the price the position closes at (bid for buys, ask
    /// for sells), or a pending order's own price.
    /// </summary>
    private static ReturnCode? CheckStops(SymbolConfig symbol, bool isBuy, decimal reference, decimal stopLoss, decimal takeProfit, out string message)
    {
        message = "";
        if (stopLoss < 0 || takeProfit < 0)
        {
            message = "stop loss and take profit cannot be negative";
            return ReturnCode.TradeInvalidSlTp;
        }
        var distance = symbol.StopsLevel * symbol.Point;
        if (stopLoss > 0 && (isBuy ? stopLoss > reference - distance : stopLoss < reference + distance))
        {
            message = $"stop loss {stopLoss} too close to or on the wrong side of {reference}";
            return isBuy ? (stopLoss >= reference ? ReturnCode.TradeInvalidSlTp : ReturnCode.TradeBadStops)
                         : (stopLoss <= reference ? ReturnCode.TradeInvalidSlTp : ReturnCode.TradeBadStops);
        }
        if (takeProfit > 0 && (isBuy ? takeProfit < reference + distance : takeProfit > reference - distance))
        {
            message = $"take profit {takeProfit} too close to or on the wrong side of {reference}";
            return isBuy ? (takeProfit <= reference ? ReturnCode.TradeInvalidSlTp : ReturnCode.TradeBadStops)
                         : (takeProfit >= reference ? ReturnCode.TradeInvalidSlTp : ReturnCode.TradeBadStops);
        }
        return null;
    }

    /// <summary>Commission of a deal in account currency: a charge is negative. 0 when not charged at this side.</summary>
    private static decimal CommissionFor(Account account, SymbolState symbol, int volume, decimal price, ConversionRate profitRate, bool onClose)
    {
        var sec = SecurityFor(account.GroupConfig, symbol.Config);
        if (sec.Commission == 0) return 0m;
        var applies = sec.CommissionCharge switch
        {
            CommissionCharge.OnOpen => !onClose,
            CommissionCharge.OnClose => onClose,
            _ => true,
        };
        if (!applies) return 0m;
        var amount = Commissions.Amount(sec.Commission, sec.CommissionType, sec.CommissionBase, symbol, volume, price, profitRate);
        return -Money.Round(amount, account.GroupConfig.CurrencyDigits);
    }
}
