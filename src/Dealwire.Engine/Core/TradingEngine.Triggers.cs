using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>
/// Server-side triggers: pending-order activation, stop-limit conversion, stop loss, take profit and
/// trailing stops. Each trade's levels sit in its symbol's <see cref="TriggerBook"/> for its group, so
/// a tick touches only what it crossed. The books are derived state: restore rebuilds them from the
/// open trades through the same hooks.
/// </summary>
public sealed partial class TradingEngine
{
    private readonly Dictionary<SymbolState, List<TriggerBook>> _books = new();
    private readonly Dictionary<long, TradeTriggers> _triggersByTicket = new();
    private readonly List<FiredTrigger> _fired = new();
    private readonly List<FiredTrigger> _unprocessed = new();
    /// <summary>Triggers placed since the last pass of a tick: a new trade or a moved stop may already be crossed.</summary>
    private int _triggersPlaced;

    /// <summary>Most passes over a symbol's books in one tick; each pass only follows triggers placed by the one before.</summary>
    private const int MaxTriggerPasses = 16;

    partial void OnOrderAdded(Trade order)
    {
        RegisterTriggers(order);
        RegisterExpiry(order);
    }

    partial void OnOrderRemoved(Trade order)
    {
        UnregisterTriggers(order, forget: true);
        UnregisterExpiry(order);
    }

    partial void OnPositionOpened(Trade position) => RegisterTriggers(position);

    partial void OnPositionChanged(Trade position) => RegisterTriggers(position);

    partial void OnPositionClosed(Trade position) => UnregisterTriggers(position, forget: true);

    /// <summary>A manager edit of a pending order (price, expiration) outside the normal modify path.</summary>
    private void OnOrderChanged(Trade order)
    {
        RegisterTriggers(order);
        UnregisterExpiry(order);
        RegisterExpiry(order);
    }

    /// <summary>An account moved to another group: its levels now compare with that group's prices.</summary>
    private void OnAccountGroupChanged(Account account)
    {
        foreach (var p in account.Positions) RegisterTriggers(p);
        foreach (var o in account.Orders) RegisterTriggers(o);
    }

    /// <summary>(Re)places all levels of a trade on the book of its symbol and group.</summary>
    private void RegisterTriggers(Trade t)
    {
        var hasLevels = t.Command.IsPending() || t.StopLoss > 0 || t.TakeProfit > 0 || t.TrailingDistance > 0;
        UnregisterTriggers(t, forget: !hasLevels);
        // Most market positions carry no stops: they get no registration at all.
        if (!hasLevels) return;
        if (!_triggersByTicket.TryGetValue(t.Ticket, out var reg))
        {
            reg = new TradeTriggers();
            _triggersByTicket[t.Ticket] = reg;
        }
        reg.Book = BookFor(t.Symbol, t.Account.Group);
        if (t.Command.IsPending())
        {
            var side = t.Command switch
            {
                TradeCommand.BuyLimit => TriggerSide.AskDown,
                TradeCommand.BuyStop or TradeCommand.BuyStopLimit => TriggerSide.AskUp,
                TradeCommand.SellLimit => TriggerSide.BidUp,
                _ => TriggerSide.BidDown,
            };
            Place(reg, side, t.OpenPrice, t.Ticket, TriggerKind.Pending);
            return;
        }
        var buy = t.IsBuy;
        if (t.StopLoss > 0) Place(reg, buy ? TriggerSide.BidDown : TriggerSide.AskUp, t.StopLoss, t.Ticket, TriggerKind.StopLoss);
        if (t.TakeProfit > 0) Place(reg, buy ? TriggerSide.BidUp : TriggerSide.AskDown, t.TakeProfit, t.Ticket, TriggerKind.TakeProfit);
        if (t.TrailingDistance > 0) Place(reg, buy ? TriggerSide.BidUp : TriggerSide.AskDown, TrailingLevel(t), t.Ticket, TriggerKind.Trailing);
    }

    private void Place(TradeTriggers reg, TriggerSide side, decimal level, long ticket, TriggerKind kind)
    {
        var key = new TriggerKey(level, ticket, kind);
        reg.Entries[reg.Count++] = (side, key);
        reg.Book.Add(side, key);
        _triggersPlaced++;
    }

    private void UnregisterTriggers(Trade t, bool forget)
    {
        if (!_triggersByTicket.TryGetValue(t.Ticket, out var reg)) return;
        for (var i = 0; i < reg.Count; i++) reg.Book.Remove(reg.Entries[i].Side, reg.Entries[i].Key);
        reg.Count = 0;
        if (forget) _triggersByTicket.Remove(t.Ticket);
    }

    private TriggerBook BookFor(SymbolState symbol, GroupState group)
    {
        if (!_books.TryGetValue(symbol, out var books))
        {
            books = new List<TriggerBook>();
            _books[symbol] = books;
        }
        foreach (var b in books)
        {
            if (ReferenceEquals(b.Group, group)) return b;
        }
        var book = new TriggerBook(symbol, group);
        books.Add(book);
        return book;
    }

    /// <summary>
    /// The price at which a trailing stop next moves. A buy's stop follows at the distance below the bid
    /// once the position is at least the distance in profit, and only ever up: it moves when
    /// bid − distance ≥ open price and bid − distance &gt; the current stop (one point above it). A sell mirrors this on the ask.
    /// </summary>
    private static decimal TrailingLevel(Trade t)
    {
        var point = t.Symbol.Config.Point;
        var distance = t.TrailingDistance * point;
        if (t.IsBuy)
        {
            return t.StopLoss > 0 && t.StopLoss >= t.OpenPrice ? t.StopLoss + point + distance : t.OpenPrice + distance;
        }
        return t.StopLoss > 0 && t.StopLoss <= t.OpenPrice ? t.StopLoss - point - distance : t.OpenPrice - distance;
    }

    /// <summary>
    /// Fires every trigger of the symbol its group's price crossed, in ticket order, then looks again
    /// for triggers the firing itself placed (a stop-limit's limit, an activated position's stops).
    /// Stop-outs wait until all triggers ran: a stop loss closes as a stop loss, not as a stop-out.
    /// </summary>
    private void ProcessTriggers(SymbolState symbol)
    {
        if (!_books.TryGetValue(symbol, out var books)) return;
        var deferred = _applyingLevels;
        _applyingLevels = true;
        try
        {
            for (var pass = 0; pass < MaxTriggerPasses; pass++)
            {
                for (var i = 0; i < books.Count; i++)
                {
                    var book = books[i];
                    if (book.Count > 0) book.Collect(BookQuote(book), _fired);
                }
                if (_fired.Count == 0) break;
                if (_fired.Count > 1) _fired.Sort(FiredTriggerComparer.Instance);
                _triggersPlaced = 0;
                for (var i = 0; i < _fired.Count; i++)
                {
                    if (!Fire(_fired[i])) _unprocessed.Add(_fired[i]);
                }
                _fired.Clear();
                if (_triggersPlaced == 0) break;
            }
        }
        finally
        {
            _applyingLevels = deferred;
            // A trigger that could not act (no conversion rate yet) waits on its book for the next tick.
            foreach (var f in _unprocessed) f.Book.Add(f.Side, f.Key);
            _unprocessed.Clear();
            _fired.Clear();
        }
    }

    private Quote BookQuote(TriggerBook book)
    {
        if (book.ConfigVersion != _configVersion)
        {
            book.Adjust = PriceAdjustment.For(book.Symbol.Config, book.Group.Config);
            book.ConfigVersion = _configVersion;
        }
        return GroupQuote(book.Symbol, book.Group.Config, book.Adjust);
    }

    /// <summary>Acts on one crossed trigger; false when it must wait (its trade is still there but cannot act now).</summary>
    private bool Fire(FiredTrigger f)
    {
        var ticket = f.Key.Ticket;
        // The trade may have gone or changed earlier in this tick (closed, stopped out, trailed).
        if (!_open.TryGetValue(ticket, out var t) || !_triggersByTicket.TryGetValue(ticket, out var reg) || !reg.Contains(f.Side, f.Key)) return true;
        var q = BookQuote(f.Book);
        return f.Key.Kind switch
        {
            TriggerKind.Pending when t.Command is TradeCommand.BuyStopLimit or TradeCommand.SellStopLimit => ConvertStopLimit(t),
            TriggerKind.Pending => Activate(t, q),
            TriggerKind.Trailing => Trail(t, q),
            _ => CloseAtStop(t, f.Key.Kind, f.Key.Level, q),
        };
    }

    /// <summary>A stop-limit's stop was reached: it becomes a limit order at its limit price, same ticket.</summary>
    private bool ConvertStopLimit(Trade order)
    {
        RemoveOrder(order);
        order.Command = order.Command == TradeCommand.BuyStopLimit ? TradeCommand.BuyLimit : TradeCommand.SellLimit;
        order.OpenPrice = order.StopLimitPrice;
        order.StopLimitPrice = 0;
        order.Activation = Activation.Pending;
        order.UpdateTime = Now;
        order.ChangedBy = _current.Actor;
        AddOrder(order);
        Emit(new TradeEvent(RecordChange.ActivateTrade, Record(order)));
        return true;
    }

    /// <summary>
    /// A limit or stop order becomes a market deal at the triggering tick's price (ask for buys, bid for
    /// sells): the order price when the market touches it, the market price when it gapped through.
    /// Margin is checked now; a refused activation deletes the order and says why.
    /// </summary>
    private bool Activate(Trade order, Quote q)
    {
        var account = order.Account;
        var symbol = order.Symbol;
        var isBuy = order.IsBuy;
        var price = isBuy ? q.Ask : q.Bid;
        var rate = ProfitConverter(symbol, account.GroupConfig.Currency).Rate();
        var marginRate = MarginConverter(symbol, account.GroupConfig.Currency).Rate();
        if (!rate.IsKnown || !marginRate.IsKnown)
        {
            RejectActivation(order, ReturnCode.TradeOffQuotes, "no conversion rate to the account currency");
            return true;
        }
        var existing = account.GroupConfig.Accounting == PositionAccounting.Netting ? NettingPosition(account, symbol) : null;
        var reduces = existing is not null && existing.IsBuy != isBuy;
        var reversal = reduces && order.Volume > existing!.Volume;
        var marginVolume = reversal ? order.Volume - existing!.Volume : order.Volume;
        // As for a market deal: only what opens pays the opening commission (a reversal's remainder).
        var commission = !reduces || reversal ? CommissionFor(account, symbol, marginVolume, price, rate, onClose: false) : 0m;
        if ((!reduces || reversal) && !HasMarginFor(account, symbol, isBuy, marginVolume, price, commission, startFlat: reversal))
        {
            RejectActivation(order, ReturnCode.TradeNoMoney, "not enough money");
            return true;
        }

        if (existing is not null)
        {
            // Netting: the order is filled into the account's one position (increase, reduce or reverse).
            Retire(order, TradeState.ClosedNormal, Activation.Pending);
            var deal = new Commands.OpenPosition(account.Login, symbol.Config.Name, isBuy ? TradeCommand.Buy : TradeCommand.Sell, order.Volume)
            {
                StopLoss = order.StopLoss,
                TakeProfit = order.TakeProfit,
                Comment = order.Comment,
                Magic = order.Magic,
                Reason = order.Reason,
                ApiData = order.ApiData,
            };
            NettingDeal(deal, existing, price, rate, commission);
            return true;
        }

        // Hedging (or a first netting position): the order itself becomes the position, keeping its ticket
        // and remembering the order as it was placed (type, time, requested price) before they turn into the fill's.
        RemoveOrder(order);
        order.ActivatedFrom = new PendingOrigin(order.Command, order.OpenTime, order.OpenPrice);
        order.Command = isBuy ? TradeCommand.Buy : TradeCommand.Sell;
        order.OpenPrice = price;
        order.OpenTime = Now;
        order.OpenRate = rate.Multiplier;
        order.StopLimitPrice = 0;
        order.ExpirationMode = ExpirationMode.GoodTillCancelled;
        order.Expiration = 0;
        order.Commission = commission;
        order.Activation = Activation.Pending;
        order.UpdateTime = Now;
        order.ChangedBy = _current.Actor;
        OpenTrade(order, commission, rate, RecordChange.ActivateTrade);
        return true;
    }

    private void RejectActivation(Trade order, ReturnCode code, string message)
    {
        var record = Retire(order, TradeState.Deleted, Activation.Pending);
        Emit(new ActivationRejectedEvent(record, code, message));
    }

    /// <summary>
    /// Closes a position whose stop loss or take profit was crossed: a buy at the bid, a sell at the ask.
    /// With the group's SL/TP slippage on, the fill is that market price; off, exactly the level.
    /// </summary>
    private bool CloseAtStop(Trade t, TriggerKind kind, decimal level, Quote q)
    {
        var rate = ProfitConverter(t.Symbol, t.Account.GroupConfig.Currency).Rate();
        if (!rate.IsKnown) return false;
        var market = t.IsBuy ? q.Bid : q.Ask;
        var price = t.Account.GroupConfig.SlTpSlippage ? market : Money.Price(level, t.Symbol.Config.Digits);
        CloseWhole(t, price, Now, kind == TriggerKind.StopLoss ? Activation.StopLoss : Activation.TakeProfit, rate);
        return true;
    }

    /// <summary>Moves a trailing stop to the distance behind the market; its stop-loss trigger moves with it.</summary>
    private bool Trail(Trade t, Quote q)
    {
        var distance = t.TrailingDistance * t.Symbol.Config.Point;
        t.StopLoss = t.IsBuy ? q.Bid - distance : q.Ask + distance;
        t.UpdateTime = Now;
        t.ChangedBy = _current.Actor;
        RegisterTriggers(t);
        Emit(new TradeEvent(RecordChange.Update, Record(t)));
        return true;
    }
}
