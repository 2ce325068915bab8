using System.Globalization;
using System.Text.Json;
using Dealwire.Engine.Model;

namespace Dealwire.TraderSocket.Wire;

/// <summary>An account as the JSON socket shows it, with the sequence of the command it reflects (its process id).</summary>
internal sealed record AccountModel(AccountProfile Profile, MarginSnapshot Margin, GroupConfig? Group, long ProcessId)
{
    public string Currency => Group?.Currency ?? Margin.Currency;
}

/// <summary>A position or pending order with what its wire form needs besides the record: account, symbol, event sequence.</summary>
internal sealed record TradeModel(TradeRecord Trade, AccountModel Account, SymbolConfig? Symbol, long ProcessId);

/// <summary>A balance operation (the ledger entry of an <c>account_update</c>).</summary>
internal sealed record OperationModel(LedgerEntry Entry, long ProcessId);

/// <summary>
/// The root models of the JSON socket (spec §6), written field by field. Ids are Dealwire's numbers as strings
/// (login, ticket, ledger id); a trader is its account (<c>trader_id</c> = login). Times are Unix milliseconds, as the
/// model tables document. Process ids are the journal sequence of the command that produced the state shown.
/// Positions and orders carry the union of the model-table and event-example keys (spec §6.5 decision).
/// </summary>
internal static class TraderModels
{
    public static void WriteBidAsk(Utf8JsonWriter w, (string Symbol, Quote Quote, SymbolConfig? Config) p)
    {
        w.WriteStartObject();
        w.WriteString("id", p.Symbol);
        w.WriteNumber("bid", p.Quote.Bid);
        w.WriteNumber("ask", p.Quote.Ask);
        w.WriteNumber("date", p.Quote.Time);
        w.WriteString("base", p.Config?.BaseCurrency ?? "");
        w.WriteString("quote", p.Config?.ProfitCurrency ?? "");
        w.WriteEndObject();
    }

    public static void WriteAccount(Utf8JsonWriter w, AccountModel a)
    {
        var p = a.Profile;
        w.WriteStartObject();
        w.WriteString("id", Id(p.Login));
        w.WriteString("trader_id", Id(p.Login));
        w.WriteString("currency", a.Currency);
        w.WriteNumber("balance", a.Margin.Balance);
        w.WriteBoolean("trading_disabled", !p.Enabled || p.ReadOnly);
        w.WriteNumber("leverage", p.Leverage > 0 ? p.Leverage : a.Group?.DefaultLeverage ?? a.Margin.Leverage);
        w.WriteString("trading_group", p.Group);
        w.WriteNumber("stop_out", a.Group?.StopOut ?? 0m);
        w.WriteNumber("create_date", p.RegistrationTime);
        w.WriteNumber("last_update_date", Math.Max(p.UpdateTime, a.Margin.BalanceTime));
        w.WriteString("last_update_process_id", Id(a.ProcessId));
        w.WriteString("create_process_id", Id(p.RegistrationSequence));
        w.WriteStartObject("metadata");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary><c>{"account":Account,"operation":BalanceOperation|null}</c></summary>
    public static void WriteAccountUpdate(Utf8JsonWriter w, (AccountModel Account, OperationModel? Operation) u)
    {
        w.WriteStartObject();
        w.WritePropertyName("account");
        WriteAccount(w, u.Account);
        if (u.Operation is null)
        {
            w.WriteNull("operation");
        }
        else
        {
            w.WritePropertyName("operation");
            WriteOperation(w, u.Operation);
        }
        w.WriteEndObject();
    }

    public static void WriteOperation(Utf8JsonWriter w, OperationModel o)
    {
        var e = o.Entry;
        w.WriteStartObject();
        w.WriteString("id", Id(e.Id));
        w.WriteString("trader_id", Id(e.Login));
        w.WriteString("account_id", Id(e.Login));
        w.WriteString("operation_type", OperationType(e.Kind));
        w.WriteString("process_id", Id(o.ProcessId));
        w.WriteNumber("delta", e.Amount);
        w.WriteNumber("date_time_unix_ms", e.Time);
        w.WriteString("comment", e.Comment);
        var reference = e.ReversesId != 0 ? Id(e.ReversesId) : e.Reference;
        if (reference is null) w.WriteNull("reference_operation_id");
        else w.WriteString("reference_operation_id", reference);
        w.WriteEndObject();
    }

    /// <summary>
    /// The spec's six operation types. Credit movements, bonuses and charges have no type of their own: they are
    /// corrections; swaps and stop-out compensation settle trading, as trading results do.
    /// </summary>
    public static string OperationType(LedgerKind kind) => kind switch
    {
        LedgerKind.Deposit => "Deposit",
        LedgerKind.Withdrawal => "Withdrawal",
        LedgerKind.TradingResult or LedgerKind.Swap or LedgerKind.StopOutCompensation => "Trading",
        LedgerKind.Commission or LedgerKind.AgentCommission => "Commission",
        _ => "BalanceCorrection",
    };

    public static void WritePosition(Utf8JsonWriter w, TradeModel m)
    {
        var t = m.Trade;
        var closed = !t.IsOpenPosition;
        w.WriteStartObject();
        WriteTradeCommon(w, m);
        w.WriteNumber("leverage", m.Account.Profile.Leverage > 0 ? m.Account.Profile.Leverage : m.Account.Group?.DefaultLeverage ?? m.Account.Margin.Leverage);
        w.WriteNumber("open_date", t.OpenTime);
        w.WriteString("open_process_id", Id(t.Ticket));
        w.WriteNumber("asset_open_price", t.OpenPrice);
        w.WritePropertyName("asset_open_bid_ask");
        WriteFill(w, t.Symbol, t.OpenPrice, t.OpenTime, m.Symbol);
        if (closed)
        {
            w.WriteNumber("close_date", t.CloseTime);
            w.WriteString("close_reason", CloseReason(t));
            w.WriteNumber("asset_close_price", t.ClosePrice);
            w.WritePropertyName("asset_close_bid_ask");
            WriteFill(w, t.Symbol, t.ClosePrice, t.CloseTime, m.Symbol);
            w.WriteString("close_process_id", Id(m.ProcessId));
        }
        else
        {
            w.WriteNull("close_date");
            w.WriteNull("close_reason");
            w.WriteNull("asset_close_price");
            w.WriteNull("asset_close_bid_ask");
            w.WriteNull("close_process_id");
        }
        // Rates from the profit currency to the account currency, as booked at open (and at close once closed).
        var rate = closed ? t.CloseRate : t.OpenRate;
        w.WriteNumber("margin_price", t.OpenRate);
        w.WritePropertyName("margin_bid_ask");
        WriteRate(w, m, t.OpenRate, t.OpenTime);
        w.WriteNumber("profit_price", rate);
        w.WritePropertyName("profit_bid_ask");
        WriteRate(w, m, rate, closed ? t.CloseTime : t.OpenTime);
        w.WriteNumber("profit", t.Profit);
        w.WriteNumber("commission", t.Commission);
        w.WriteStartArray("swaps");
        // The engine keeps a position's swap as one accumulated amount, not a list of daily charges.
        if (t.Swap != 0)
        {
            w.WriteStartObject();
            w.WriteNumber("amount", t.Swap);
            w.WriteNumber("date", t.UpdateTime);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteOrder(Utf8JsonWriter w, TradeModel m)
    {
        var t = m.Trade;
        w.WriteStartObject();
        WriteTradeCommon(w, m);
        w.WriteNumber("desire_price", t.OpenPrice);
        w.WriteString("order_type", t.Command is TradeCommand.BuyLimit or TradeCommand.SellLimit ? "Limit" : "Stop");
        // 0 while pending; the fill once the order executed into a position.
        w.WriteNumber("execute_price", t.Command.IsMarket() ? t.OpenPrice : 0m);
        w.WriteEndObject();
    }

    /// <summary>Keys positions and orders share (ids, instrument, side in both spellings, volume, SL/TP in both styles, dates).</summary>
    private static void WriteTradeCommon(Utf8JsonWriter w, TradeModel m)
    {
        var t = m.Trade;
        var buy = t.Command.IsBuySide();
        var lots = t.Volume / 100m;
        w.WriteString("id", Id(t.Ticket));
        w.WriteString("trader_id", Id(t.Login));
        w.WriteString("account_id", Id(t.Login));
        w.WriteString("asset_pair", t.Symbol);
        w.WriteString("base", m.Symbol?.BaseCurrency ?? "");
        w.WriteString("quote", m.Symbol?.ProfitCurrency ?? "");
        w.WriteBoolean("is_buy", buy);
        w.WriteString("side", buy ? "Buy" : "Sell");
        w.WriteNumber("lots_amount", lots);
        // The event examples spell it "lost_amount" beside "lots_amount": both are sent.
        w.WriteNumber("lost_amount", lots);
        w.WriteNumber("lots_size", m.Symbol?.ContractSize ?? 0m);
        w.WriteNumber("create_date", t.ActivatedFrom?.PlacedTime ?? t.OpenTime);
        w.WriteString("create_process_id", Id(t.Ticket));
        w.WriteNumber("last_update_date", Math.Max(t.UpdateTime, Math.Max(t.OpenTime, t.CloseTime)));
        w.WriteString("last_update_process_id", Id(m.ProcessId));
        Price(w, "tp_price", t.TakeProfit);
        Price(w, "sl_price", t.StopLoss);
        Price(w, "tp_in_instrument_price", t.TakeProfit);
        w.WriteNull("tp_in_currency");
        Price(w, "sl_in_instrument_price", t.StopLoss);
        w.WriteNull("sl_in_currency");
        w.WriteString("collateral_currency", m.Account.Currency);
        w.WriteStartObject("metadata");
        if (t.Comment.Length > 0) w.WriteString("comment", t.Comment);
        w.WriteEndObject();
    }

    private static void Price(Utf8JsonWriter w, string name, decimal price)
    {
        if (price == 0) w.WriteNull(name);
        else w.WriteNumber(name, price);
    }

    /// <summary>The instrument price a deal was filled at, as a BidAsk (the fill is the side the deal took, so bid = ask).</summary>
    private static void WriteFill(Utf8JsonWriter w, string symbol, decimal price, long time, SymbolConfig? config) =>
        WriteBidAsk(w, (symbol, new Quote(price, price, time), config));

    private static void WriteRate(Utf8JsonWriter w, TradeModel m, decimal rate, long time)
    {
        var from = m.Symbol?.ProfitCurrency ?? "";
        w.WriteStartObject();
        w.WriteString("id", from + m.Account.Currency);
        w.WriteNumber("bid", rate);
        w.WriteNumber("ask", rate);
        w.WriteNumber("date", time);
        w.WriteString("base", from);
        w.WriteString("quote", m.Account.Currency);
        w.WriteEndObject();
    }

    private static string CloseReason(TradeRecord t) => t.Activation switch
    {
        Activation.StopLoss => "StopLoss",
        Activation.TakeProfit => "TakeProfit",
        Activation.StopOut => "StopOut",
        _ => t.Reason == TradeReason.Dealer ? "ForceClose" : "ClientCommand",
    };

    private static string Id(long number) => number.ToString(CultureInfo.InvariantCulture);
}
