using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>Market deals: open, close (full, partial, by opposite), and stop changes.</summary>
public sealed partial class TradingEngine
{
    private (ReturnCode, string, object?) Open(OpenPosition c)
    {
        if (!_accounts.TryGetValue(c.Login, out var account)) return Reject(ReturnCode.UserNotFound, $"account {c.Login} not found");
        if (CheckAccountMayTrade(account, out var msg) is { } denied) return Reject(denied, msg);
        if (!_symbols.TryGetValue(c.Symbol, out var symbol)) return Reject(ReturnCode.SymbolNotFound, $"symbol {c.Symbol} not found");
        if (!c.Side.IsMarket()) return Reject(ReturnCode.TradeIncorrectCmd, "cmd must be 0 (buy) or 1 (sell)");
        var netting = account.GroupConfig.Accounting == PositionAccounting.Netting;
        var existing = netting ? NettingPosition(account, symbol) : null;
        var reduces = existing is not null && existing.IsBuy != (c.Side == TradeCommand.Buy);

        if (!reduces)
        {
            if (CheckSymbolOpen(account, symbol, out msg) is { } closed && !(c.Force && closed == ReturnCode.TradeMarketClosed)) return Reject(closed, msg);
            if (symbol.Config.LongOnly && c.Side == TradeCommand.Sell) return Reject(ReturnCode.TradeLongOnly, "symbol is buy-only");
        }
        else if (CheckMarketOpen(symbol, out msg) is { } closedMarket && !c.Force)
        {
            return Reject(closedMarket, msg);
        }
        var sec = SecurityFor(account.GroupConfig, symbol.Config);
        if (CheckVolume(sec, symbol.Config, c.Volume, out msg) is { } badVolume) return Reject(badVolume, msg);
        if (!symbol.Raw.IsSet && !(c.Force && c.Price > 0)) return Reject(ReturnCode.TradeOffQuotes, $"no quotes for {symbol.Config.Name}");
        var rate = ProfitConverter(symbol, account.GroupConfig.Currency).Rate();
        var marginRate = MarginConverter(symbol, account.GroupConfig.Currency).Rate();
        if (!rate.IsKnown || !marginRate.IsKnown) return Reject(ReturnCode.TradeOffQuotes, "no conversion rate to the account currency");

        var isBuy = c.Side == TradeCommand.Buy;
        var q = symbol.Raw.IsSet ? GroupQuote(symbol, account.GroupConfig) : new Quote(c.Price, c.Price, Now);
        var price = c.Force && c.Price > 0 ? Money.Price(c.Price, symbol.Config.Digits) : isBuy ? q.Ask : q.Bid;
        if (c.StopLoss != 0 || c.TakeProfit != 0)
        {
            var reference = isBuy ? q.Bid : q.Ask;
            if (CheckStops(symbol.Config, isBuy, reference, c.StopLoss, c.TakeProfit, out msg) is { } badStops) return Reject(badStops, msg);
        }
        var maxPositions = account.GroupConfig.MaxPositions;
        if (!netting && maxPositions > 0 && account.Positions.Count + account.Orders.Count >= maxPositions)
        {
            return Reject(ReturnCode.TradeLimitReached, $"at most {maxPositions} positions and orders");
        }

        // A netting reversal leaves only the remainder open on the other side: that is what needs margin and
        // what pays the opening commission (the part that closes pays the closing commission when it settles).
        var reversal = reduces && c.Volume > existing!.Volume;
        var needsMargin = !reduces || reversal;
        var marginVolume = reversal ? c.Volume - existing!.Volume : c.Volume;
        var commission = needsMargin ? CommissionFor(account, symbol, marginVolume, price, rate, onClose: false) : 0m;
        if (needsMargin && !c.Force && !HasMarginFor(account, symbol, isBuy, marginVolume, price, commission, startFlat: reversal))
        {
            return Reject(ReturnCode.TradeNoMoney, "not enough money");
        }

        if (existing is not null) return NettingDeal(c, existing, price, rate, commission);
        return Ok(NewPosition(c, account, symbol, price, rate, commission));
    }

    /// <summary>A netting account's one position on a symbol, if any.</summary>
    private static Trade? NettingPosition(Account account, SymbolState symbol)
    {
        foreach (var p in account.Positions)
        {
            if (ReferenceEquals(p.Symbol, symbol)) return p;
        }
        return null;
    }

    /// <summary>
    /// The record a command answers with: the one just emitted when nothing happened since (the usual
    /// case, saving a second copy), else a fresh one (a level check after the deal changed something).
    /// </summary>
    private TradeRecord LatestRecord(Trade t, TradeEvent emitted) =>
        _events.Count > 0 && ReferenceEquals(_events[^1], emitted) ? emitted.Trade : Record(t);

    private TradeRecord NewPosition(OpenPosition c, Account account, SymbolState symbol, decimal price, ConversionRate rate, decimal commission)
    {
        var t = new Trade
        {
            Ticket = NextTicket(),
            Account = account,
            Symbol = symbol,
            Command = c.Side,
            Volume = c.Volume,
            State = TradeState.OpenNormal,
            OpenTime = c.OpenTime > 0 && c.Force ? c.OpenTime : Now,
            OpenPrice = price,
            StopLoss = c.StopLoss,
            TakeProfit = c.TakeProfit,
            Commission = commission,
            OpenRate = rate.Multiplier,
            Reason = c.Reason,
            Magic = c.Magic,
            Comment = c.Comment,
            UpdateTime = Now,
            ChangedBy = c.Actor,
            ApiData = c.ApiData,
        };
        return LatestRecord(t, OpenTrade(t, commission, rate, RecordChange.Add));
    }

    /// <summary>Puts a new position on the books (a market deal, or an activated pending order keeping its ticket).</summary>
    private TradeEvent OpenTrade(Trade t, decimal commission, ConversionRate rate, RecordChange change)
    {
        var account = t.Account;
        AddPosition(t);
        t.MarginInitial = Money.Round(OwnMargin(t), account.GroupConfig.CurrencyDigits);
        t.MarginRate = t.Account.FindExposure(t.Symbol) is { } exposure && PricingOf(exposure) is { Ready: true } pricing ? pricing.MarginRate : 0m;
        if (commission != 0) Book(account, LedgerKind.Commission, commission, t.Ticket, $"commission #{t.Ticket}", null);
        PayAgentCommission(t, t.Volume, t.OpenPrice, rate);
        OnPositionOpened(t);
        var opened = new TradeEvent(change, Record(t));
        Emit(opened);
        EvaluateLevel(account);
        return opened;
    }

    /// <summary>
    /// The margin one position reserves on its own at current prices: its volume at the per-lot margin of
    /// its side. Not the account's whole exposure on the symbol, which a hedged second leg would
    /// otherwise report twice (1/1 EURUSD at 1:100 → 1 100.00 per leg, not 2 200.00 on the second).
    /// </summary>
    private decimal OwnMargin(Trade t)
    {
        var e = t.Account.FindExposure(t.Symbol);
        if (e is null) return 0m;
        var pricing = PricingOf(e);
        if (!pricing.Ready) return 0m;
        return t.Volume * (t.IsBuy ? pricing.PerBuy : pricing.PerSell);
    }

    /// <summary>Hook for stop books (SL/TP/trailing) maintained by the dealing rules.</summary>
    partial void OnPositionOpened(Trade position);

    partial void OnPositionChanged(Trade position);

    partial void OnPositionClosed(Trade position);

    /// <summary>Would the account keep a non-negative free margin after this deal (valued at current prices)?</summary>
    /// <param name="startFlat">Value the symbol as if the account held nothing on it yet (netting reversal: the old position is closed first).</param>
    private bool HasMarginFor(Account account, SymbolState symbol, bool isBuy, int volume, decimal price, decimal commission, bool startFlat = false)
    {
        var e = account.FindExposure(symbol);
        long buy = startFlat ? 0 : e?.BuyVolume ?? 0, sell = startFlat ? 0 : e?.SellVolume ?? 0;
        decimal buyValue = startFlat ? 0 : e?.BuyOpenValue ?? 0, sellValue = startFlat ? 0 : e?.SellOpenValue ?? 0;
        if (isBuy)
        {
            buy += volume;
            buyValue += volume * price;
        }
        else
        {
            sell += volume;
            sellValue += volume * price;
        }
        if (!symbol.Raw.IsSet) return true; // dealer fill at a given price with no market: margin follows on the first tick
        // The account's existing exposure (or the context it would get) shares pricing, conversion and margin factor.
        var pricing = e is not null ? PricingOf(e) : PricingFor(symbol, account);
        if (!pricing.Ready) return false;
        Figures(pricing, buy, sell, buyValue, sellValue, out var profit, out var margin);
        var newMargin = account.Margin - (e?.Margin ?? 0) + margin;
        if (newMargin <= account.Margin && !startFlat) return true; // the deal frees margin (hedge): always allowed
        // On a reversal the old position's floating profit turns into balance: equity is unchanged by it.
        var newFloating = account.FloatingProfit - (startFlat ? 0 : e?.Profit ?? 0) + profit + account.FloatingSwap;
        var counted = account.GroupConfig.FreeMarginMode switch
        {
            FreeMarginMode.DontUseFloating => 0m,
            FreeMarginMode.UseProfitOnly => Math.Max(0m, newFloating),
            FreeMarginMode.UseLossOnly => Math.Min(0m, newFloating),
            _ => newFloating,
        };
        return account.Balance + account.Credit + commission + counted - newMargin >= 0;
    }

    /// <summary>A netting account's deal against its one position: increase, reduce, close or reverse.</summary>
    private (ReturnCode, string, object?) NettingDeal(OpenPosition c, Trade position, decimal price, ConversionRate rate, decimal commission)
    {
        var account = position.Account;
        var sameSide = position.IsBuy == (c.Side == TradeCommand.Buy);
        if (sameSide)
        {
            // Increase: the position's open price becomes the volume-weighted average.
            var newVolume = position.Volume + c.Volume;
            var average = (position.OpenPrice * position.Volume + price * c.Volume) / newVolume;
            ReshapePosition(position, newVolume, average);
            position.Commission += commission;
            position.UpdateTime = Now;
            if (commission != 0) Book(account, LedgerKind.Commission, commission, position.Ticket, $"commission #{position.Ticket}", null);
            PayAgentCommission(position, c.Volume, price, rate);
            OnPositionChanged(position);
            var increased = new TradeEvent(RecordChange.Update, Record(position));
            Emit(increased);
            EvaluateLevel(account);
            return Ok(LatestRecord(position, increased));
        }

        if (c.Volume < position.Volume)
        {
            var closed = ClosePart(position, c.Volume, price, Now, Activation.None, rate);
            return Ok(closed);
        }

        var remainder = c.Volume - position.Volume;
        var fullClose = CloseWhole(position, price, Now, Activation.None, rate);
        if (remainder == 0) return Ok(fullClose);
        return Ok(NewPosition(c with { Volume = remainder }, account, position.Symbol, price, rate, commission));
    }

    private (ReturnCode, string, object?) Close(ClosePosition c)
    {
        if (!_open.TryGetValue(c.Ticket, out var t) || !t.Command.IsMarket()) return Reject(ReturnCode.TradeIncorrectOrder, $"position {c.Ticket} not found");
        if (c.Login != 0 && t.Account.Login != c.Login) return Reject(ReturnCode.TradeIncorrectOrder, $"position {c.Ticket} does not belong to {c.Login}");
        var account = t.Account;
        if (!c.Force)
        {
            if (!account.Profile.Enabled) return Reject(ReturnCode.AccountDisabled, "account is disabled");
            if (account.Profile.ReadOnly) return Reject(ReturnCode.TradeReadOnly, "account is read-only");
            if (CheckMarketOpen(t.Symbol, out var msg) is { } closed) return Reject(closed, msg);
        }
        var volume = c.Volume == 0 ? t.Volume : c.Volume;
        if (volume < 0 || volume > t.Volume) return Reject(ReturnCode.TradeBadVolume, $"volume {volume} exceeds the position's {t.Volume}");
        if (volume < t.Volume)
        {
            if (!account.GroupConfig.PartialCloseAllowed) return Reject(ReturnCode.TradeBadVolume, "partial close is not allowed");
            var sec = SecurityFor(account.GroupConfig, t.Symbol.Config);
            if (volume < sec.LotMin || (volume - sec.LotMin) % sec.LotStep != 0 || t.Volume - volume < sec.LotMin)
            {
                return Reject(ReturnCode.TradeBadVolume, $"partial volume {volume} breaks the lot limits");
            }
        }
        if (!t.Symbol.Raw.IsSet && !(c.Force && c.Price > 0)) return Reject(ReturnCode.TradeOffQuotes, $"no quotes for {t.Symbol.Config.Name}");
        var rate = ProfitConverter(t.Symbol, account.GroupConfig.Currency).Rate();
        if (!rate.IsKnown) return Reject(ReturnCode.TradeOffQuotes, "no conversion rate to the account currency");
        var price = c.Force && c.Price > 0 ? Money.Price(c.Price, t.Symbol.Config.Digits) : ClosePriceOf(t);
        var closeTime = c.Force && c.CloseTime > 0 ? c.CloseTime : Now;
        if (closeTime < t.OpenTime) return Reject(ReturnCode.TradeBadCloseTime, "close time before open time");
        if (c.Comment.Length > 0) t.Comment = c.Comment;
        var record = volume == t.Volume
            ? CloseWhole(t, price, closeTime, Activation.None, rate)
            : ClosePart(t, volume, price, closeTime, Activation.None, rate);
        return Ok(record);
    }

    /// <summary>The market price a position closes at: a buy sells at bid, a sell buys at ask.</summary>
    private static decimal ClosePriceOf(Trade t)
    {
        var q = GroupQuote(t.Symbol, t.Account.GroupConfig);
        return t.IsBuy ? q.Bid : q.Ask;
    }

    private TradeRecord CloseWhole(Trade t, decimal price, long closeTime, Activation activation, ConversionRate rate, TradeState state = TradeState.ClosedNormal)
    {
        // The closing order gets a ticket of its own; the close record keeps the position's ticket.
        var closeOrder = NextTicket();
        RemovePosition(t);
        OnPositionClosed(t);
        var record = Settle(t, t.Volume, t.Volume, price, closeTime, activation, state, t.Ticket, closeOrder, rate);
        Emit(new TradeEvent(RecordChange.CloseTrade, record));
        EvaluateLevel(t.Account);
        return record;
    }

    /// <summary>Cuts <paramref name="volume"/> off a position into a TS_CLOSED_PART record linked by parent ticket.</summary>
    private TradeRecord ClosePart(Trade t, int volume, decimal price, long closeTime, Activation activation, ConversionRate rate)
    {
        var total = t.Volume;
        ReshapePosition(t, total - volume, t.OpenPrice);
        t.ClosedVolume += volume;
        t.UpdateTime = Now;
        // The part record's own ticket numbers the closing order too.
        var partTicket = NextTicket();
        var record = Settle(t, volume, total, price, closeTime, activation, TradeState.ClosedPart, partTicket, partTicket, rate);
        OnPositionChanged(t);
        Emit(new TradeEvent(RecordChange.CloseTrade, record));
        Emit(new TradeEvent(RecordChange.Update, Record(t)));
        EvaluateLevel(t.Account);
        return record;
    }

    private (ReturnCode, string, object?) CloseByOpposite(CloseBy c)
    {
        if (!_open.TryGetValue(c.Ticket, out var a) || !a.Command.IsMarket() || a.Account.Login != c.Login) return Reject(ReturnCode.TradeIncorrectOrder, $"position {c.Ticket} not found");
        if (!_open.TryGetValue(c.OppositeTicket, out var b) || !b.Command.IsMarket() || b.Account.Login != c.Login) return Reject(ReturnCode.TradeIncorrectOrder, $"position {c.OppositeTicket} not found");
        if (!ReferenceEquals(a.Symbol, b.Symbol) || a.IsBuy == b.IsBuy) return Reject(ReturnCode.TradeIncorrectOrder, "close-by needs an opposite position on the same symbol");
        if ((SecurityFor(a.Account.GroupConfig, a.Symbol.Config).TradeRights & 1) != 0) return Reject(ReturnCode.TradeDisabled, "close-by is not allowed");
        if (CheckMarketOpen(a.Symbol, out var msg) is { } closed) return Reject(closed, msg);
        var rate = ProfitConverter(a.Symbol, a.Account.GroupConfig.Currency).Rate();
        if (!rate.IsKnown) return Reject(ReturnCode.TradeOffQuotes, "no conversion rate to the account currency");

        // Both legs close at the first position's open price: the spread is paid once, at open.
        var price = b.OpenPrice;
        var volume = Math.Min(a.Volume, b.Volume);
        // Between the two legs the account is briefly unhedged: a stop-out there could close the second
        // leg before close-by does. Levels are checked once both legs are done.
        var deferred = _applyingLevels;
        _applyingLevels = true;
        TradeRecord first;
        try
        {
            first = a.Volume == volume
                ? CloseWhole(a, price, Now, Activation.None, rate, TradeState.ClosedBy)
                : ClosePart(a, volume, price, Now, Activation.None, rate);
            if (b.Volume == volume) CloseWhole(b, price, Now, Activation.None, rate, TradeState.ClosedBy);
            else ClosePart(b, volume, price, Now, Activation.None, rate);
        }
        finally
        {
            _applyingLevels = deferred;
        }
        EvaluateLevel(a.Account);
        return Ok(first with { ClosedByTicket = b.Ticket });
    }

    private (ReturnCode, string, object?) Modify(ModifyPosition c)
    {
        if (!_open.TryGetValue(c.Ticket, out var t) || !t.Command.IsMarket()) return Reject(ReturnCode.TradeIncorrectOrder, $"position {c.Ticket} not found");
        if (c.Login != 0 && t.Account.Login != c.Login) return Reject(ReturnCode.TradeIncorrectOrder, $"position {c.Ticket} does not belong to {c.Login}");
        if (CheckAccountMayTrade(t.Account, out var msg) is { } denied) return Reject(denied, msg);
        if (c.TrailingDistance < 0) return Reject(ReturnCode.TradeInvalidSlTp, "trailing distance cannot be negative");
        if (!t.Symbol.Raw.IsSet) return Reject(ReturnCode.TradeOffQuotes, $"no quotes for {t.Symbol.Config.Name}");
        var reference = ClosePriceOf(t);
        if (CheckStops(t.Symbol.Config, t.IsBuy, reference, c.StopLoss, c.TakeProfit, out msg) is { } bad) return Reject(bad, msg);
        if (IsFrozen(t, reference)) return Reject(ReturnCode.TradeModifyDenied, "stops are inside the freeze level");
        t.StopLoss = c.StopLoss;
        t.TakeProfit = c.TakeProfit;
        t.TrailingDistance = c.TrailingDistance;
        t.UpdateTime = Now;
        t.ChangedBy = c.Actor;
        OnPositionChanged(t);
        var record = Record(t);
        Emit(new TradeEvent(RecordChange.Update, record));
        return Ok(record);
    }

    /// <summary>Existing stops within the freeze distance of the market may not be moved.</summary>
    private static bool IsFrozen(Trade t, decimal reference)
    {
        var freeze = t.Symbol.Config.FreezeLevel * t.Symbol.Config.Point;
        if (freeze <= 0) return false;
        return (t.StopLoss > 0 && Math.Abs(reference - t.StopLoss) < freeze)
            || (t.TakeProfit > 0 && Math.Abs(reference - t.TakeProfit) < freeze);
    }
}
