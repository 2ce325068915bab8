using System.Data.Common;
using Dealwire.Engine.Model;

namespace Dealwire.ReadModel.History.Sql;

/// <summary>
/// The columns of <c>deals</c> and <c>orders</c> (same layout), in the order used by inserts, COPY and selects,
/// each named for what it is so reporting tools need no decoder. Money and prices are exact decimals.
/// </summary>
internal static class TradeColumns
{
    public enum Type { Long, Int, Decimal, Text, NullableInt, NullableLong, NullableDecimal }

    public static readonly (string Name, Type Type)[] All =
    [
        ("ticket", Type.Long), ("login", Type.Long), ("kind", Type.Int), ("symbol", Type.Text), ("digits", Type.Int),
        ("command", Type.Int), ("volume", Type.Int), ("state", Type.Int), ("open_time", Type.Long), ("open_price", Type.Decimal),
        ("stop_limit_price", Type.Decimal), ("stop_loss", Type.Decimal), ("take_profit", Type.Decimal), ("trailing_distance", Type.Int),
        ("expiration_mode", Type.Int), ("expiration", Type.Long), ("close_time", Type.Long), ("close_price", Type.Decimal),
        ("commission", Type.Decimal), ("agent_commission", Type.Decimal), ("swap", Type.Decimal), ("profit", Type.Decimal),
        ("taxes", Type.Decimal), ("margin_initial", Type.Decimal), ("open_rate", Type.Decimal), ("close_rate", Type.Decimal),
        ("reason", Type.Int), ("activation", Type.Int), ("magic", Type.Long), ("comment", Type.Text), ("parent_ticket", Type.Long),
        ("closed_volume", Type.Int), ("closed_by_ticket", Type.Long), ("close_order_ticket", Type.Long),
        ("origin_command", Type.NullableInt), ("origin_time", Type.NullableLong), ("origin_price", Type.NullableDecimal),
        ("update_time", Type.Long), ("changed_by", Type.Text), ("gateway_order", Type.Text), ("gateway_source", Type.Text),
        ("gateway_uuid", Type.Text), ("api_data", Type.Text), ("sequence", Type.Long),
        // Added after the first stores were made: SqlHistoryStore.OpenAsync adds them to older tables (default 0).
        ("margin_rate", Type.Decimal), ("last_swap_time", Type.Long),
    ];

    /// <summary>Columns added to <c>deals</c>/<c>orders</c> after the first release, with the value older rows get.</summary>
    public static readonly (string Name, Type Type)[] AddedLater = [("margin_rate", Type.Decimal), ("last_swap_time", Type.Long)];

    public static readonly string List = string.Join(", ", All.Select(c => c.Name));

    /// <summary>The row's values in <see cref="All"/> order.</summary>
    public static object?[] Values(TradeRecord t, HistoryKinds kind, long sequence) =>
    [
        t.Ticket, t.Login, (int)kind, t.Symbol, t.Digits,
        (int)t.Command, t.Volume, (int)t.State, t.OpenTime, t.OpenPrice,
        t.StopLimitPrice, t.StopLoss, t.TakeProfit, t.TrailingDistance,
        (int)t.ExpirationMode, t.Expiration, t.CloseTime, t.ClosePrice,
        t.Commission, t.AgentCommission, t.Swap, t.Profit,
        t.Taxes, t.MarginInitial, t.OpenRate, t.CloseRate,
        (int)t.Reason, (int)t.Activation, t.Magic, t.Comment, t.ParentTicket,
        t.ClosedVolume, t.ClosedByTicket, t.CloseOrderTicket,
        t.ActivatedFrom is { } o ? (int)o.Command : null, t.ActivatedFrom?.PlacedTime, t.ActivatedFrom?.Price,
        t.UpdateTime, t.ChangedBy, t.GatewayOrder, t.GatewaySource,
        t.GatewayUuid, t.ApiData, sequence,
        t.MarginRate, t.LastSwapTime,
    ];

    /// <summary>Reads a row selected with <see cref="List"/> (SQLite keeps decimals as text; both providers parse exactly).</summary>
    public static TradeRecord Read(DbDataReader r)
    {
        int i = 0;
        long L() => r.GetInt64(i++);
        int I() => r.GetInt32(i++);
        decimal D() => r.GetDecimal(i++);
        string S() => r.GetString(i++);
        var ticket = L();
        var login = L();
        i++; // kind: implied by the command
        var t = new TradeRecord
        {
            Ticket = ticket, Login = login, Symbol = S(), Digits = I(),
            Command = (TradeCommand)I(), Volume = I(), State = (TradeState)I(), OpenTime = L(), OpenPrice = D(),
            StopLimitPrice = D(), StopLoss = D(), TakeProfit = D(), TrailingDistance = I(),
            ExpirationMode = (ExpirationMode)I(), Expiration = L(), CloseTime = L(), ClosePrice = D(),
            Commission = D(), AgentCommission = D(), Swap = D(), Profit = D(),
            Taxes = D(), MarginInitial = D(), OpenRate = D(), CloseRate = D(),
            Reason = (TradeReason)I(), Activation = (Activation)I(), Magic = L(), Comment = S(), ParentTicket = L(),
            ClosedVolume = I(), ClosedByTicket = L(), CloseOrderTicket = L(),
        };
        PendingOrigin? origin = null;
        if (!r.IsDBNull(i)) origin = new PendingOrigin((TradeCommand)r.GetInt32(i), r.GetInt64(i + 1), r.GetDecimal(i + 2));
        i += 3;
        t = t with
        {
            ActivatedFrom = origin, UpdateTime = L(), ChangedBy = S(), GatewayOrder = S(), GatewaySource = S(),
            GatewayUuid = S(), ApiData = S(),
        };
        i++; // sequence
        return t with { MarginRate = D(), LastSwapTime = L() };
    }
}

/// <summary>The columns of <c>ledger</c>, in insert/select order.</summary>
internal static class LedgerColumns
{
    public const string List = "id, login, kind, amount, balance_after, credit_after, ticket, comment, time, idempotency_key, reference, actor, reverses_id, sequence";

    public const int Count = 14;

    public static object?[] Values(LedgerEntry e, long sequence) =>
    [
        e.Id, e.Login, (int)e.Kind, e.Amount, e.BalanceAfter, e.CreditAfter, e.Ticket, e.Comment, e.Time,
        e.IdempotencyKey, e.Reference, e.Actor, e.ReversesId, sequence,
    ];

    public static LedgerEntry Read(DbDataReader r) => new()
    {
        Id = r.GetInt64(0), Login = r.GetInt64(1), Kind = (LedgerKind)r.GetInt32(2), Amount = r.GetDecimal(3),
        BalanceAfter = r.GetDecimal(4), CreditAfter = r.GetDecimal(5), Ticket = r.GetInt64(6), Comment = r.GetString(7),
        Time = r.GetInt64(8), IdempotencyKey = r.IsDBNull(9) ? null : r.GetString(9), Reference = r.IsDBNull(10) ? null : r.GetString(10),
        Actor = r.GetString(11), ReversesId = r.GetInt64(12),
    };
}

/// <summary>The columns of <c>audit_log</c> the projector writes, in insert order.</summary>
internal static class AuditColumns
{
    public const string List = "sequence, time, actor, source, command, payload, after";

    public const int Count = 7;
}

/// <summary>The columns of <c>ticks</c>, in insert/select order.</summary>
internal static class TickColumns
{
    public const string List = "symbol, time, sequence, bid, ask";

    public const int Count = 5;
}
