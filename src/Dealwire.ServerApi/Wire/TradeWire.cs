using System.Text.Json;
using Dealwire.Engine.Model;

namespace Dealwire.ServerApi.Wire;

/// <summary>TradeRecord on the wire (scaletrade-model §4.1): C++ member names, times in seconds.</summary>
internal static class TradeWire
{
    /// <summary>Default columns of trade tables (scaletrade-tcp §7.4).</summary>
    public static readonly string[] DefaultColumns =
    [
        "order", "login", "cmd", "state", "symbol", "reason", "volume", "open_time", "close_time", "open_price",
        "close_price", "sl", "tp", "profit", "commission", "storage", "comment", "digits", "expiration",
    ];

    /// <summary>Columns of the filtered / paged variants: net_profit after profit, plus the owner's group.</summary>
    public static readonly string[] FilterColumns =
    [
        "order", "login", "cmd", "state", "symbol", "reason", "volume", "open_time", "close_time", "open_price",
        "close_price", "sl", "tp", "profit", "net_profit", "commission", "storage", "comment", "digits", "expiration",
        "magic", "activation", "parent_order", "closed_volume", "update_time", "group",
    ];

    public static void Write(Utf8JsonWriter w, TradeRecord t, string? group)
    {
        w.WriteStartObject();
        w.WriteNumber(Names.Order, t.Ticket);
        w.WriteNumber(Names.Login, t.Login);
        w.WriteString(Names.Symbol, t.Symbol);
        w.WriteNumber(Names.Digits, t.Digits);
        w.WriteNumber(Names.Cmd, (int)t.Command);
        w.WriteNumber(Names.Volume, t.Volume);
        w.WriteNumber(Names.OpenTime, WireTime.ToSeconds(t.OpenTime));
        w.WriteNumber(Names.State, (int)t.State);
        w.WriteNumber(Names.OpenPrice, t.OpenPrice);
        w.WriteNumber(Names.Sl, t.StopLoss);
        w.WriteNumber(Names.Tp, t.TakeProfit);
        w.WriteNumber(Names.MarginInitial, t.MarginInitial);
        w.WriteNumber(Names.CloseTime, WireTime.ToSeconds(t.CloseTime));
        w.WriteNumber(Names.Expiration, WireTime.ToSeconds(t.Expiration));
        w.WriteNumber(Names.Reason, (int)t.Reason);
        w.WriteStartArray(Names.ConvRates);
        w.WriteNumberValue(t.OpenRate);
        w.WriteNumberValue(t.CloseRate);
        w.WriteEndArray();
        w.WriteNumber(Names.MarginRate, t.MarginRate);
        w.WriteNumber(Names.LastSwapTime, WireTime.ToSeconds(t.LastSwapTime));
        w.WriteNumber(Names.Commission, t.Commission);
        w.WriteNumber(Names.CommissionAgent, t.AgentCommission);
        w.WriteNumber(Names.Storage, t.Swap);
        w.WriteNumber(Names.Profit, t.Profit);
        w.WriteNumber(Names.NetProfit, t.NetProfit);
        w.WriteNumber(Names.Taxes, t.Taxes);
        w.WriteNumber(Names.ClosePrice, t.ClosePrice);
        w.WriteNumber(Names.StoplimitPrice, t.StopLimitPrice);
        w.WriteNumber(Names.Magic, t.Magic);
        w.WriteString(Names.Comment, t.Comment);
        w.WriteNumber(Names.Activation, (int)t.Activation);
        w.WriteString(Names.GwOrder, t.GatewayOrder);
        w.WriteString(Names.GwSource, t.GatewaySource);
        w.WriteString(Names.GwUuid, t.GatewayUuid);
        // Dealwire fills every order itself (no liquidity-provider leg): nothing was filled at a gateway (docs/server-api.md).
        w.WriteNumber(Names.GwVolume, 0);
        w.WriteNumber(Names.GwOpenPrice, 0);
        w.WriteNumber(Names.GwClosePrice, 0);
        w.WriteString(Names.ApiData, t.ApiData);
        w.WriteNumber(Names.ParentOrder, t.ParentTicket);
        w.WriteNumber(Names.ClosedVolume, t.ClosedVolume);
        w.WriteNumber(Names.UpdateTime, WireTime.ToSeconds(t.UpdateTime));
        if (group is not null) w.WriteString(Names.Group, group);
        w.WriteEndObject();
    }

    /// <summary>
    /// The record's member names, escaped once: a trade record goes out in every trade reply and trade:event, and a
    /// name given as a span is checked for characters to escape on every write (about 1 % of a server at full load).
    /// </summary>
    private static class Names
    {
        public static readonly JsonEncodedText Order = JsonEncodedText.Encode("order"u8);
        public static readonly JsonEncodedText Login = JsonEncodedText.Encode("login"u8);
        public static readonly JsonEncodedText Symbol = JsonEncodedText.Encode("symbol"u8);
        public static readonly JsonEncodedText Digits = JsonEncodedText.Encode("digits"u8);
        public static readonly JsonEncodedText Cmd = JsonEncodedText.Encode("cmd"u8);
        public static readonly JsonEncodedText Volume = JsonEncodedText.Encode("volume"u8);
        public static readonly JsonEncodedText OpenTime = JsonEncodedText.Encode("open_time"u8);
        public static readonly JsonEncodedText State = JsonEncodedText.Encode("state"u8);
        public static readonly JsonEncodedText OpenPrice = JsonEncodedText.Encode("open_price"u8);
        public static readonly JsonEncodedText Sl = JsonEncodedText.Encode("sl"u8);
        public static readonly JsonEncodedText Tp = JsonEncodedText.Encode("tp"u8);
        public static readonly JsonEncodedText MarginInitial = JsonEncodedText.Encode("margin_initial"u8);
        public static readonly JsonEncodedText CloseTime = JsonEncodedText.Encode("close_time"u8);
        public static readonly JsonEncodedText Expiration = JsonEncodedText.Encode("expiration"u8);
        public static readonly JsonEncodedText Reason = JsonEncodedText.Encode("reason"u8);
        public static readonly JsonEncodedText ConvRates = JsonEncodedText.Encode("conv_rates"u8);
        public static readonly JsonEncodedText MarginRate = JsonEncodedText.Encode("margin_rate"u8);
        public static readonly JsonEncodedText LastSwapTime = JsonEncodedText.Encode("last_swap_time"u8);
        public static readonly JsonEncodedText Commission = JsonEncodedText.Encode("commission"u8);
        public static readonly JsonEncodedText CommissionAgent = JsonEncodedText.Encode("commission_agent"u8);
        public static readonly JsonEncodedText Storage = JsonEncodedText.Encode("storage"u8);
        public static readonly JsonEncodedText Profit = JsonEncodedText.Encode("profit"u8);
        public static readonly JsonEncodedText NetProfit = JsonEncodedText.Encode("net_profit"u8);
        public static readonly JsonEncodedText Taxes = JsonEncodedText.Encode("taxes"u8);
        public static readonly JsonEncodedText ClosePrice = JsonEncodedText.Encode("close_price"u8);
        public static readonly JsonEncodedText StoplimitPrice = JsonEncodedText.Encode("stoplimit_price"u8);
        public static readonly JsonEncodedText Magic = JsonEncodedText.Encode("magic"u8);
        public static readonly JsonEncodedText Comment = JsonEncodedText.Encode("comment"u8);
        public static readonly JsonEncodedText Activation = JsonEncodedText.Encode("activation"u8);
        public static readonly JsonEncodedText GwOrder = JsonEncodedText.Encode("gw_order"u8);
        public static readonly JsonEncodedText GwSource = JsonEncodedText.Encode("gw_source"u8);
        public static readonly JsonEncodedText GwUuid = JsonEncodedText.Encode("gw_uuid"u8);
        public static readonly JsonEncodedText GwVolume = JsonEncodedText.Encode("gw_volume"u8);
        public static readonly JsonEncodedText GwOpenPrice = JsonEncodedText.Encode("gw_open_price"u8);
        public static readonly JsonEncodedText GwClosePrice = JsonEncodedText.Encode("gw_close_price"u8);
        public static readonly JsonEncodedText ApiData = JsonEncodedText.Encode("api_data"u8);
        public static readonly JsonEncodedText ParentOrder = JsonEncodedText.Encode("parent_order"u8);
        public static readonly JsonEncodedText ClosedVolume = JsonEncodedText.Encode("closed_volume"u8);
        public static readonly JsonEncodedText UpdateTime = JsonEncodedText.Encode("update_time"u8);
        public static readonly JsonEncodedText Group = JsonEncodedText.Encode("group"u8);
    }

    /// <summary>One cell of a trade table row, by column name.</summary>
    public static object Cell(TradeRecord t, string column, string? group) => column switch
    {
        "order" => t.Ticket,
        "login" => t.Login,
        "cmd" => (long)t.Command,
        "state" => (long)t.State,
        "symbol" => t.Symbol,
        "reason" => (long)t.Reason,
        "volume" => (long)t.Volume,
        "open_time" => WireTime.ToSeconds(t.OpenTime),
        "close_time" => WireTime.ToSeconds(t.CloseTime),
        "open_price" => t.OpenPrice,
        "close_price" => t.ClosePrice,
        "sl" => t.StopLoss,
        "tp" => t.TakeProfit,
        "profit" => t.Profit,
        "net_profit" => t.NetProfit,
        "commission" => t.Commission,
        "storage" => t.Swap,
        "comment" => t.Comment,
        "digits" => (long)t.Digits,
        "expiration" => WireTime.ToSeconds(t.Expiration),
        "magic" => t.Magic,
        "activation" => (long)t.Activation,
        "parent_order" => t.ParentTicket,
        "closed_volume" => (long)t.ClosedVolume,
        "partial_close_volume" => (long)t.ClosedVolume,
        "update_time" => WireTime.ToSeconds(t.UpdateTime),
        "taxes" => t.Taxes,
        "margin_initial" => t.MarginInitial,
        "group" => group ?? "",
        _ => throw Protocol.ProtocolException.InvalidData($"unknown trade field '{column}'"),
    };
}
