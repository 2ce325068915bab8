using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>Pending orders: placement, modification, cancellation.</summary>
public sealed partial class TradingEngine
{
    private (ReturnCode, string, object?) Place(PlacePendingOrder c)
    {
        if (!_accounts.TryGetValue(c.Login, out var account)) return Reject(ReturnCode.UserNotFound, $"account {c.Login} not found");
        if (CheckAccountMayTrade(account, out var msg) is { } denied) return Reject(denied, msg);
        if (!_symbols.TryGetValue(c.Symbol, out var symbol)) return Reject(ReturnCode.SymbolNotFound, $"symbol {c.Symbol} not found");
        if (!c.Type.IsPending()) return Reject(ReturnCode.TradeIncorrectCmd, "cmd must be a pending order type (2-5, 10, 11)");
        if (CheckSymbolOpen(account, symbol, out msg) is { } closed) return Reject(closed, msg);
        if (symbol.Config.LongOnly && !c.Type.IsBuySide()) return Reject(ReturnCode.TradeLongOnly, "symbol is buy-only");
        var sec = SecurityFor(account.GroupConfig, symbol.Config);
        if (CheckVolume(sec, symbol.Config, c.Volume, out msg) is { } badVolume) return Reject(badVolume, msg);
        if (!symbol.Raw.IsSet) return Reject(ReturnCode.TradeOffQuotes, $"no quotes for {symbol.Config.Name}");
        var price = Money.Price(c.Price, symbol.Config.Digits);
        var stopLimit = Money.Price(c.StopLimitPrice, symbol.Config.Digits);
        if (CheckPendingPrice(account, symbol, c.Type, price, stopLimit, out msg) is { } badPrice) return Reject(badPrice, msg);
        var isBuy = c.Type.IsBuySide();
        var fill = c.Type is TradeCommand.BuyStopLimit or TradeCommand.SellStopLimit ? stopLimit : price;
        if (CheckStops(symbol.Config, isBuy, fill, c.StopLoss, c.TakeProfit, out msg) is { } badStops) return Reject(badStops, msg);
        if (CheckExpiration(c.ExpirationMode, c.Expiration, out msg) is { } badExpiry) return Reject(badExpiry, msg);
        var maxPositions = account.GroupConfig.MaxPositions;
        if (maxPositions > 0 && account.Positions.Count + account.Orders.Count >= maxPositions)
        {
            return Reject(ReturnCode.TradeLimitReached, $"at most {maxPositions} positions and orders");
        }

        var order = new Trade
        {
            Ticket = NextTicket(),
            Account = account,
            Symbol = symbol,
            Command = c.Type,
            Volume = c.Volume,
            State = TradeState.OpenNormal,
            OpenTime = Now,
            OpenPrice = price,
            StopLimitPrice = stopLimit,
            StopLoss = c.StopLoss,
            TakeProfit = c.TakeProfit,
            ExpirationMode = c.ExpirationMode,
            Expiration = c.ExpirationMode == ExpirationMode.AtTime ? c.Expiration : 0,
            Reason = c.Reason,
            Magic = c.Magic,
            Comment = c.Comment,
            UpdateTime = Now,
            ChangedBy = c.Actor,
            ApiData = c.ApiData,
        };
        AddOrder(order);
        var record = Record(order);
        Emit(new TradeEvent(RecordChange.Add, record));
        return Ok(record);
    }

    /// <summary>
    /// Limits sit on the better side of the market, stops on the worse side, at least the stops level
    /// away; a stop-limit's limit price is on the better side of its stop price. Buys compare with ask,
    /// sells with bid.
    /// </summary>
    private static ReturnCode? CheckPendingPrice(Account account, SymbolState symbol, TradeCommand type, decimal price, decimal stopLimit, out string message)
    {
        message = "";
        if (price <= 0)
        {
            message = "open_price is required for a pending order";
            return ReturnCode.TradeBadPrices;
        }
        var q = GroupQuote(symbol, account.GroupConfig);
        var distance = symbol.Config.StopsLevel * symbol.Config.Point;
        var ok = type switch
        {
            TradeCommand.BuyLimit => price <= q.Ask - distance,
            TradeCommand.SellLimit => price >= q.Bid + distance,
            TradeCommand.BuyStop or TradeCommand.BuyStopLimit => price >= q.Ask + distance,
            TradeCommand.SellStop or TradeCommand.SellStopLimit => price <= q.Bid - distance,
            _ => false,
        };
        if (!ok)
        {
            message = $"price {price} is on the wrong side of the market or within the stops level";
            return ReturnCode.TradeBadPrices;
        }
        if (type is TradeCommand.BuyStopLimit && (stopLimit <= 0 || stopLimit > price)
            || type is TradeCommand.SellStopLimit && (stopLimit <= 0 || stopLimit < price))
        {
            message = "a stop-limit needs a limit price at or better than its stop price";
            return ReturnCode.TradeBadPrices;
        }
        return null;
    }

    private ReturnCode? CheckExpiration(ExpirationMode mode, long expiration, out string message)
    {
        message = "";
        if (mode == ExpirationMode.AtTime && expiration <= Now)
        {
            message = "expiration must be in the future";
            return ReturnCode.TradeExpirationDenied;
        }
        return null;
    }

    private (ReturnCode, string, object?) ModifyOrder(ModifyPendingOrder c)
    {
        if (!_open.TryGetValue(c.Ticket, out var order) || !order.Command.IsPending()) return Reject(ReturnCode.TradeIncorrectOrder, $"pending order {c.Ticket} not found");
        if (c.Login != 0 && order.Account.Login != c.Login) return Reject(ReturnCode.TradeIncorrectOrder, $"order {c.Ticket} does not belong to {c.Login}");
        if (CheckAccountMayTrade(order.Account, out var msg) is { } denied) return Reject(denied, msg);
        var symbol = order.Symbol;
        var price = c.Price is { } p ? Money.Price(p, symbol.Config.Digits) : order.OpenPrice;
        var stopLimit = c.StopLimitPrice is { } sl ? Money.Price(sl, symbol.Config.Digits) : order.StopLimitPrice;
        var volume = c.Volume ?? order.Volume;
        var stopLoss = c.StopLoss ?? order.StopLoss;
        var takeProfit = c.TakeProfit ?? order.TakeProfit;
        var mode = c.ExpirationMode ?? order.ExpirationMode;
        var expiration = c.Expiration ?? order.Expiration;
        if (CheckVolume(SecurityFor(order.Account.GroupConfig, symbol.Config), symbol.Config, volume, out msg) is { } badVolume) return Reject(badVolume, msg);
        if (!symbol.Raw.IsSet) return Reject(ReturnCode.TradeOffQuotes, $"no quotes for {symbol.Config.Name}");
        var q = GroupQuote(symbol, order.Account.GroupConfig);
        var freeze = symbol.Config.FreezeLevel * symbol.Config.Point;
        var market = order.IsBuy ? q.Ask : q.Bid;
        if (freeze > 0 && Math.Abs(market - order.OpenPrice) < freeze) return Reject(ReturnCode.TradeModifyDenied, "order is inside the freeze level");
        if (CheckPendingPrice(order.Account, symbol, order.Command, price, stopLimit, out msg) is { } badPrice) return Reject(badPrice, msg);
        var fill = order.Command is TradeCommand.BuyStopLimit or TradeCommand.SellStopLimit ? stopLimit : price;
        if (CheckStops(symbol.Config, order.IsBuy, fill, stopLoss, takeProfit, out msg) is { } badStops) return Reject(badStops, msg);
        if ((c.ExpirationMode is not null || c.Expiration is not null) && CheckExpiration(mode, expiration, out msg) is { } badExpiry) return Reject(badExpiry, msg);

        RemoveOrder(order);
        order.OpenPrice = price;
        order.StopLimitPrice = stopLimit;
        order.Volume = volume;
        order.StopLoss = stopLoss;
        order.TakeProfit = takeProfit;
        order.ExpirationMode = mode;
        order.Expiration = mode == ExpirationMode.AtTime ? expiration : 0;
        if (c.Comment is not null) order.Comment = c.Comment;
        if (c.ApiData is not null) order.ApiData = c.ApiData;
        order.UpdateTime = Now;
        order.ChangedBy = c.Actor;
        AddOrder(order);
        var record = Record(order);
        Emit(new TradeEvent(RecordChange.Update, record));
        return Ok(record);
    }

    private (ReturnCode, string, object?) Cancel(CancelPendingOrder c)
    {
        if (!_open.TryGetValue(c.Ticket, out var order) || !order.Command.IsPending()) return Reject(ReturnCode.TradeIncorrectOrder, $"pending order {c.Ticket} not found");
        if (c.Login != 0 && order.Account.Login != c.Login) return Reject(ReturnCode.TradeIncorrectOrder, $"order {c.Ticket} does not belong to {c.Login}");
        return Ok(Retire(order, TradeState.Deleted, Activation.Cancel));
    }

    /// <summary>Takes a pending order off the book into history (cancelled, expired or activated).</summary>
    private TradeRecord Retire(Trade order, TradeState state, Activation activation)
    {
        RemoveOrder(order);
        var record = order.ToRetiredRecord(state, activation, Now, _current.Actor);
        Emit(new TradeEvent(RecordChange.Delete, record));
        return record;
    }
}
