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
        w.WriteNumber(WireNames.Order, t.Ticket);
        w.WriteNumber(WireNames.Login, t.Login);
        w.WriteString(WireNames.Symbol, t.Symbol);
        w.WriteNumber(WireNames.Digits, t.Digits);
        w.WriteNumber(WireNames.Cmd, (int)t.Command);
        w.WriteNumber(WireNames.Volume, t.Volume);
        w.WriteNumber(WireNames.OpenTime, WireTime.ToSeconds(t.OpenTime));
        w.WriteNumber(WireNames.State, (int)t.State);
        w.WriteNumber(WireNames.OpenPrice, t.OpenPrice);
        w.WriteNumber(WireNames.Sl, t.StopLoss);
        w.WriteNumber(WireNames.Tp, t.TakeProfit);
        w.WriteNumber(WireNames.MarginInitial, t.MarginInitial);
        w.WriteNumber(WireNames.CloseTime, WireTime.ToSeconds(t.CloseTime));
        w.WriteNumber(WireNames.Expiration, WireTime.ToSeconds(t.Expiration));
        w.WriteNumber(WireNames.Reason, (int)t.Reason);
        w.WriteStartArray(WireNames.ConvRates);
        w.WriteNumberValue(t.OpenRate);
        w.WriteNumberValue(t.CloseRate);
        w.WriteEndArray();
        w.WriteNumber(WireNames.MarginRate, t.MarginRate);
        w.WriteNumber(WireNames.LastSwapTime, WireTime.ToSeconds(t.LastSwapTime));
        w.WriteNumber(WireNames.Commission, t.Commission);
        w.WriteNumber(WireNames.CommissionAgent, t.AgentCommission);
        w.WriteNumber(WireNames.Storage, t.Swap);
        w.WriteNumber(WireNames.Profit, t.Profit);
        w.WriteNumber(WireNames.NetProfit, t.NetProfit);
        w.WriteNumber(WireNames.Taxes, t.Taxes);
        w.WriteNumber(WireNames.ClosePrice, t.ClosePrice);
        w.WriteNumber(WireNames.StoplimitPrice, t.StopLimitPrice);
        w.WriteNumber(WireNames.Magic, t.Magic);
        w.WriteString(WireNames.Comment, t.Comment);
        w.WriteNumber(WireNames.Activation, (int)t.Activation);
        w.WriteString(WireNames.GwOrder, t.GatewayOrder);
        w.WriteString(WireNames.GwSource, t.GatewaySource);
        w.WriteString(WireNames.GwUuid, t.GatewayUuid);
        // Dealwire fills every order itself (no liquidity-provider leg): nothing was filled at a gateway (docs/server-api.md).
        w.WriteNumber(WireNames.GwVolume, 0);
        w.WriteNumber(WireNames.GwOpenPrice, 0);
        w.WriteNumber(WireNames.GwClosePrice, 0);
        w.WriteString(WireNames.ApiData, t.ApiData);
        w.WriteNumber(WireNames.ParentOrder, t.ParentTicket);
        w.WriteNumber(WireNames.ClosedVolume, t.ClosedVolume);
        w.WriteNumber(WireNames.UpdateTime, WireTime.ToSeconds(t.UpdateTime));
        if (group is not null) w.WriteString(WireNames.Group, group);
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
