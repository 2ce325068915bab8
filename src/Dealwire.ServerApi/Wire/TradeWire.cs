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
        w.WriteNumber("order"u8, t.Ticket);
        w.WriteNumber("login"u8, t.Login);
        w.WriteString("symbol"u8, t.Symbol);
        w.WriteNumber("digits"u8, t.Digits);
        w.WriteNumber("cmd"u8, (int)t.Command);
        w.WriteNumber("volume"u8, t.Volume);
        w.WriteNumber("open_time"u8, WireTime.ToSeconds(t.OpenTime));
        w.WriteNumber("state"u8, (int)t.State);
        w.WriteNumber("open_price"u8, t.OpenPrice);
        w.WriteNumber("sl"u8, t.StopLoss);
        w.WriteNumber("tp"u8, t.TakeProfit);
        w.WriteNumber("margin_initial"u8, t.MarginInitial);
        w.WriteNumber("close_time"u8, WireTime.ToSeconds(t.CloseTime));
        w.WriteNumber("expiration"u8, WireTime.ToSeconds(t.Expiration));
        w.WriteNumber("reason"u8, (int)t.Reason);
        w.WriteStartArray("conv_rates"u8);
        w.WriteNumberValue(t.OpenRate);
        w.WriteNumberValue(t.CloseRate);
        w.WriteEndArray();
        w.WriteNumber("margin_rate"u8, t.MarginRate);
        w.WriteNumber("last_swap_time"u8, WireTime.ToSeconds(t.LastSwapTime));
        w.WriteNumber("commission"u8, t.Commission);
        w.WriteNumber("commission_agent"u8, t.AgentCommission);
        w.WriteNumber("storage"u8, t.Swap);
        w.WriteNumber("profit"u8, t.Profit);
        w.WriteNumber("net_profit"u8, t.NetProfit);
        w.WriteNumber("taxes"u8, t.Taxes);
        w.WriteNumber("close_price"u8, t.ClosePrice);
        w.WriteNumber("stoplimit_price"u8, t.StopLimitPrice);
        w.WriteNumber("magic"u8, t.Magic);
        w.WriteString("comment"u8, t.Comment);
        w.WriteNumber("activation"u8, (int)t.Activation);
        w.WriteString("gw_order"u8, t.GatewayOrder);
        w.WriteString("gw_source"u8, t.GatewaySource);
        w.WriteString("gw_uuid"u8, t.GatewayUuid);
        // Dealwire fills every order itself (no liquidity-provider leg): nothing was filled at a gateway (docs/server-api.md).
        w.WriteNumber("gw_volume"u8, 0);
        w.WriteNumber("gw_open_price"u8, 0);
        w.WriteNumber("gw_close_price"u8, 0);
        w.WriteString("api_data"u8, t.ApiData);
        w.WriteNumber("parent_order"u8, t.ParentTicket);
        w.WriteNumber("closed_volume"u8, t.ClosedVolume);
        w.WriteNumber("update_time"u8, WireTime.ToSeconds(t.UpdateTime));
        if (group is not null) w.WriteString("group"u8, group);
        w.WriteEndObject();
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
