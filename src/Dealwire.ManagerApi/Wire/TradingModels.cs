using System.Globalization;
using System.Text.Json;
using Dealwire.Engine.Model;
using Dealwire.ManagerApi.Protocol;

namespace Dealwire.ManagerApi.Wire;

/// <summary>
/// Writers of the account, balance, position, order, trade and price models in both layouts. Field
/// names and order follow the seed (002) for the seed layout and yft-models.md for the newer one.
/// Times are Unix milliseconds except the documented string times.
/// </summary>
internal static class TradingModels
{
    public static void WriteAccount(Utf8JsonWriter w, WireDialect d, AccountView a)
    {
        w.WriteStartObject();
        d.WriteId(w, "id", EntityKind.Account, a.Login);
        d.WriteId(w, "trader_id", EntityKind.Trader, a.Login);
        w.WriteString("currency", a.Currency);
        w.WriteNumber("balance", a.Balance);
        w.WriteNumber("equity", a.Equity);
        w.WriteNumber("margin", a.Margin);
        w.WriteNumber("free_margin", a.FreeMargin);
        w.WriteNumber("margin_level", a.MarginLevel);
        w.WriteNumber("leverage", a.Leverage);
        w.WriteString("trading_group", a.Group);
        w.WriteNumber("last_update_date", a.UpdateTime);
        Metadata.Write(w, a.Metadata);
        w.WriteNumber("status", a.Enabled ? 0 : 1);
        w.WriteNumber("hedge_mode", a.Netting ? 1 : 0);
        w.WriteEndObject();
    }

    public static void WriteBalanceOperation(Utf8JsonWriter w, WireDialect d, LedgerEntry e)
    {
        w.WriteStartObject();
        // The operation id stays a plain string in both layouts (yft-manager-api.md §6); newer = its UUID.
        w.WriteString("id", d.IsSeed ? ManagerIds.SeedId(e.Id) : ManagerIds.ToUuid(EntityKind.BalanceOperation, e.Id).ToString());
        d.WriteId(w, "trader_id", EntityKind.Trader, e.Login);
        d.WriteId(w, "account_id", EntityKind.Account, e.Login);
        w.WriteString("reason", BalanceReasons.WireName(e.Kind));
        var processId = ProcessIds.FromIdempotencyKey(e.IdempotencyKey);
        if (processId is null) w.WriteNull("process_id");
        else w.WriteString("process_id", processId);
        w.WriteNumber("delta", e.Amount);
        w.WriteNumber("date", e.Time);
        if (e.Comment.Length == 0) w.WriteNull("comment");
        else w.WriteString("comment", e.Comment);
        d.WriteOptionalId(w, "reference_operation_id", EntityKind.BalanceOperation, e.ReversesId);
        // Dealwire extension: the caller's reference_transaction_id of update_balance, echoed when one was given.
        if (e.Reference is not null) w.WriteString("reference_transaction_id", e.Reference);
        w.WriteEndObject();
    }

    /// <summary>Seed <c>account_balance_operation</c> item: <c>{account, operation}</c>.</summary>
    public static void WriteSeedBalanceUpdate(Utf8JsonWriter w, WireDialect d, BalanceUpdateView u) => WriteBalanceUpdate(w, d, u, "operation");

    /// <summary>Newer <c>update_balance_response.success</c>: <c>{account, balance_operation}</c>.</summary>
    public static void WriteNewerBalanceUpdate(Utf8JsonWriter w, WireDialect d, BalanceUpdateView u) => WriteBalanceUpdate(w, d, u, "balance_operation");

    private static void WriteBalanceUpdate(Utf8JsonWriter w, WireDialect d, BalanceUpdateView u, string operationKey)
    {
        w.WriteStartObject();
        w.WritePropertyName("account");
        WriteAccount(w, d, u.Account);
        w.WritePropertyName(operationKey);
        if (u.Operation is null) w.WriteNullValue();
        else WriteBalanceOperation(w, d, u.Operation);
        w.WriteEndObject();
    }

    /// <summary>Newer <c>accounts.update.updated</c>: the 2-tuple <c>[account, operation|null]</c>.</summary>
    public static void WriteAccountTuple(Utf8JsonWriter w, WireDialect d, BalanceUpdateView u)
    {
        w.WriteStartArray();
        WriteAccount(w, d, u.Account);
        if (u.Operation is null) w.WriteNullValue();
        else WriteBalanceOperation(w, d, u.Operation);
        w.WriteEndArray();
    }

    public static void WritePrice(Utf8JsonWriter w, WireDialect d, PriceView p)
    {
        w.WriteStartObject();
        w.WriteString("id", p.Symbol);
        w.WriteNumber("bid", p.Quote.Bid);
        w.WriteNumber("ask", p.Quote.Ask);
        if (!d.IsSeed)
        {
            w.WriteNumber("date", p.Quote.Time);
            w.WriteString("base", p.Base);
            w.WriteString("quote", p.QuoteCurrency);
        }
        w.WriteEndObject();
    }

    public static void WritePosition(Utf8JsonWriter w, WireDialect d, PositionView p)
    {
        var t = p.Trade;
        var buy = t.Command == TradeCommand.Buy;
        var open = new PriceView(t.Symbol, new Quote(t.OpenPrice, t.OpenPrice, t.OpenTime), p.Base, p.QuoteCurrency);
        var active = new PriceView(t.Symbol, p.Active, p.Base, p.QuoteCurrency);
        WriteTradeHead(w, d, EntityKind.Position, t.Ticket, t, p.Collateral, buy);
        WritePrice(w, d, "sl_price", t.StopLoss);
        WritePrice(w, d, "tp_price", t.TakeProfit);
        Metadata.Write(w, p.Metadata);
        d.WriteId(w, "order_id", EntityKind.Order, t.Ticket);
        if (d.IsSeed)
        {
            w.WritePropertyName("margin_bidask");
            WritePrice(w, d, active);
            w.WritePropertyName("open_bidask");
            WritePrice(w, d, open);
            w.WritePropertyName("profit_bidask");
            WritePrice(w, d, active);
            if (p.IsClosed)
            {
                w.WritePropertyName("close_bidask");
                WritePrice(w, d, new PriceView(t.Symbol, new Quote(t.ClosePrice, t.ClosePrice, t.CloseTime), p.Base, p.QuoteCurrency));
            }
            w.WriteNumber("open_price", t.OpenPrice);
            if (p.IsClosed) w.WriteNumber("close_price", t.ClosePrice);
            w.WriteNumber("open_time", t.OpenTime);
            if (p.IsClosed) w.WriteNumber("close_time", t.CloseTime);
            w.WriteNumber("swap", t.Swap);
            w.WriteNumber("net_pl", t.NetProfit);
            w.WriteNumber("gross_pl", t.Profit);
            w.WriteNumber("leverage", p.Leverage);
            w.WriteBoolean("is_abook", false);
            if (p.IsClosed) w.WriteString("close_reason", CloseReason(t));
        }
        else
        {
            w.WriteNumber("pl", t.Profit);
            w.WritePropertyName("margin_bidask");
            WritePrice(w, d, active);
            w.WritePropertyName("open_bidask");
            WritePrice(w, d, open);
            w.WritePropertyName("profit_bidask");
            WritePrice(w, d, active);
            w.WritePropertyName("active_bidask");
            WritePrice(w, d, p.IsClosed ? new PriceView(t.Symbol, new Quote(t.ClosePrice, t.ClosePrice, t.CloseTime), p.Base, p.QuoteCurrency) : active);
            w.WriteNumber("commission", t.Commission);
            w.WritePropertyName("swaps");
            w.WriteStartArray();
            if (t.Swap != 0)
            {
                w.WriteStartObject();
                w.WriteNumber("delta", t.Swap);
                w.WriteNumber("date", t.UpdateTime);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("create_date", t.OpenTime);
            w.WriteNumber("update_date", p.IsClosed ? t.CloseTime : Math.Max(t.UpdateTime, t.OpenTime));
            if (p.IsClosed)
            {
                w.WriteNumber("close_date", t.CloseTime);
                w.WriteNumber("close_price", t.ClosePrice);
                w.WriteString("close_reason", CloseReason(t));
            }
        }
        w.WriteEndObject();
    }

    /// <summary>Opens a position or order object with the fields both share, in the documented order.</summary>
    private static void WriteTradeHead(Utf8JsonWriter w, WireDialect d, EntityKind kind, long id, TradeRecord t, string collateral, bool buy)
    {
        w.WriteStartObject();
        d.WriteId(w, "id", kind, id);
        d.WriteId(w, "trader_id", EntityKind.Trader, t.Login);
        d.WriteId(w, "account_id", EntityKind.Account, t.Login);
        w.WriteString("asset_pair", t.Symbol);
        w.WriteString("collateral", collateral);
        w.WriteNumber("lots_amount", t.Volume / 100m);
        w.WriteBoolean("is_buy", buy);
    }

    /// <summary>Newer <c>positions.update.calculate_updates</c> item.</summary>
    public static void WritePositionCalculation(Utf8JsonWriter w, WireDialect d, TradeRecord t)
    {
        w.WriteStartObject();
        d.WriteId(w, "account_id", EntityKind.Account, t.Login);
        d.WriteId(w, "position_id", EntityKind.Position, t.Ticket);
        w.WriteNumber("gross_pl", t.Profit);
        w.WriteEndObject();
    }

    /// <summary>Newer <c>accounts.update.calculate_updates</c> item.</summary>
    public static void WriteAccountCalculation(Utf8JsonWriter w, WireDialect d, AccountView a)
    {
        w.WriteStartObject();
        d.WriteId(w, "account_id", EntityKind.Account, a.Login);
        w.WriteNumber("margin", a.Margin);
        w.WriteNumber("equity", a.Equity);
        w.WriteNumber("free_margin", a.FreeMargin);
        w.WriteNumber("margin_level", a.MarginLevel);
        w.WriteEndObject();
    }

    public static void WriteOrder(Utf8JsonWriter w, WireDialect d, OrderView o)
    {
        var t = o.Trade;
        var buy = t.Command.IsBuySide();
        if (o.IsClose) buy = !buy;
        // An activated order is shown as it was placed (type, time, price); a closing order is created when it closes.
        var origin = o.Origin;
        var type = OrderType(origin?.Command ?? t.Command);
        var created = o.IsClose ? t.CloseTime : origin?.PlacedTime ?? t.OpenTime;
        WriteTradeHead(w, d, EntityKind.Order, o.Ticket, t, o.Collateral, buy);
        if (d.IsSeed)
        {
            w.WriteNumber("price", o.IsClose ? t.ClosePrice : origin?.Price ?? t.OpenPrice);
            w.WriteNumber("created", created);
            w.WriteString("order_type", type);
            Metadata.Write(w, o.Metadata);
            w.WriteString("status", o.Status switch
            {
                OrderStatus.Pending => "active",
                OrderStatus.Canceled => "canceled",
                OrderStatus.Executed => "executed",
                _ => "rejected",
            });
            w.WriteBoolean("is_abook", false);
        }
        else
        {
            WritePrice(w, d, "sl_price", t.StopLoss);
            WritePrice(w, d, "tp_price", t.TakeProfit);
            Metadata.Write(w, o.Metadata);
            w.WriteString("order_type", type);
            w.WriteNumber("create_date", created);
            w.WriteNumber("update_date", o.IsClose ? t.CloseTime : Math.Max(t.UpdateTime, t.OpenTime));
            if (t.Command.IsPending()) w.WriteNumber("desired_price", t.OpenPrice);
            else if (origin is not null) w.WriteNumber("desired_price", origin.Price);
            else w.WriteNull("desired_price");
            w.WriteString("order_status", o.Status switch
            {
                OrderStatus.Pending => "pending",
                OrderStatus.Canceled => "canceled",
                OrderStatus.Executed => "executed",
                _ => "rejected",
            });
            d.WriteOptionalId(w, "position_id", EntityKind.Position, o.PositionTicket);
            w.WriteBoolean("is_close", o.IsClose);
        }
        w.WriteEndObject();
    }

    public static void WriteTrade(Utf8JsonWriter w, WireDialect d, TradeView x)
    {
        var t = x.Trade;
        var buy = t.Command == TradeCommand.Buy ^ x.Closing;
        var price = x.Closing ? t.ClosePrice : t.OpenPrice;
        var time = x.Closing ? t.CloseTime : t.OpenTime;
        var order = x.OrderTicket;
        w.WriteStartObject();
        d.WriteId(w, "id", EntityKind.Trade, x.Number);
        if (d.IsSeed)
        {
            d.WriteId(w, "order_id", EntityKind.Order, order);
            d.WriteId(w, "position_id", EntityKind.Position, t.Ticket);
            d.WriteId(w, "trader_id", EntityKind.Trader, t.Login);
            d.WriteId(w, "account_id", EntityKind.Account, t.Login);
            w.WriteString("asset_pair", t.Symbol);
            w.WriteString("collateral", x.Collateral);
            w.WriteNumber("lots", t.Volume / 100m);
            w.WriteNumber("price", price);
            w.WriteBoolean("is_buy", buy);
            w.WriteBoolean("is_abook", false);
            w.WriteString("execution_date", Rfc3339(time));
        }
        else
        {
            d.WriteId(w, "trader_id", EntityKind.Trader, t.Login);
            d.WriteId(w, "account_id", EntityKind.Account, t.Login);
            w.WriteString("asset_pair", t.Symbol);
            d.WriteId(w, "order_id", EntityKind.Order, order);
            d.WriteId(w, "position_id", EntityKind.Position, t.Ticket);
            w.WriteNumber("price", price);
            w.WriteNumber("pl", x.Closing ? t.Profit : 0m);
            w.WriteNumber("fee", x.Closing ? 0m : t.Commission);
            w.WriteNumber("lots_amount", t.Volume / 100m);
            w.WriteNumber("create_date", time);
            w.WriteString("create_process_id", ManagerIds.SeedId(x.Number));
            w.WriteBoolean("is_buy", buy);
        }
        w.WriteEndObject();
    }

    /// <summary>RFC 3339 with milliseconds and offset, e.g. <c>2025-06-05T16:38:17.000+00:00</c>.</summary>
    public static string Rfc3339(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    public static string OrderType(TradeCommand command) => command switch
    {
        TradeCommand.BuyLimit or TradeCommand.SellLimit => "limit",
        TradeCommand.BuyStop or TradeCommand.SellStop or TradeCommand.BuyStopLimit or TradeCommand.SellStopLimit => "stop",
        _ => "market",
    };

    /// <summary>Close reasons in the gRPC enum's snake_case names.</summary>
    public static string CloseReason(TradeRecord t) => t.Activation switch
    {
        Activation.StopLoss => "stop_loss",
        Activation.TakeProfit => "take_profit",
        Activation.StopOut => "stop_out",
        _ => t.ChangedBy.StartsWith("manager", StringComparison.Ordinal) || t.ChangedBy.StartsWith("admin", StringComparison.Ordinal)
            ? "admin_command" : "client_command",
    };

    /// <summary>Prices of SL/TP: 0 (engine "none") is a number in the seed, null in the newer layout.</summary>
    private static void WritePrice(Utf8JsonWriter w, WireDialect d, string name, decimal value)
    {
        if (value == 0 && !d.IsSeed) w.WriteNull(name);
        else w.WriteNumber(name, value);
    }
}

/// <summary>Balance reasons of the wire and the engine's ledger kinds.</summary>
public static class BalanceReasons
{
    public static string WireName(LedgerKind kind) => kind switch
    {
        LedgerKind.Deposit => "deposit",
        LedgerKind.Withdrawal => "withdrawal",
        LedgerKind.WithdrawalCancelled => "withdrawal_cancel",
        LedgerKind.Commission or LedgerKind.AgentCommission => "commission",
        LedgerKind.TradingResult or LedgerKind.Swap => "trading",
        _ => "balance_correction",
    };

    /// <summary>The ledger kind a requested reason books; null for an unknown reason.</summary>
    public static LedgerKind? FromWire(string? reason) => reason switch
    {
        "deposit" => LedgerKind.Deposit,
        "withdrawal" => LedgerKind.Withdrawal,
        "withdrawal_cancel" or "withdrawal_cancelled" or "withdrawal_canceled" => LedgerKind.WithdrawalCancelled,
        "balance_correction" or "transfer" => LedgerKind.BalanceCorrection,
        "commission" => LedgerKind.Commission,
        "trading" => LedgerKind.TradingResult,
        _ => null,
    };
}

/// <summary>The Manager API's <c>process_id</c> is booked as the ledger's idempotency key under a prefix of its own.</summary>
public static class ProcessIds
{
    private const string Prefix = "mgrapi:";

    public static string ToIdempotencyKey(string processId) => Prefix + processId;

    public static string? FromIdempotencyKey(string? key) =>
        key is null ? null : key.StartsWith(Prefix, StringComparison.Ordinal) ? key[Prefix.Length..] : key;
}
