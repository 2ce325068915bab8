using System.Text.Json;

namespace Dealwire.ManagerApi.Wire;

/// <summary>Names one kind of reply in both layouts: the seed payload key and the newer <c>&lt;name&gt;_response</c> key.</summary>
public readonly record struct ReplyKind(string SeedKey, string NewerKey);

/// <summary>Writes value of type <typeparamref name="T"/> in a dialect.</summary>
public delegate void ModelWriter<in T>(Utf8JsonWriter writer, WireDialect dialect, T value);

/// <summary>
/// The reply and event shapes of both layouts. Seed: <c>success.&lt;key&gt;.&lt;event&gt;.data[]</c> and
/// <c>error</c>; newer: <c>&lt;key&gt;_response.success|error</c> and <c>&lt;topic&gt;.snapshot|update</c>.
/// </summary>
internal static class Replies
{
    public static readonly ReplyKind Accounts = new("accounts", "get_accounts_response");
    public static readonly ReplyKind Positions = new("positions", "get_positions_response");
    public static readonly ReplyKind HistoryPositions = new("closed_position", "get_history_positions_response");
    public static readonly ReplyKind LastPrices = new("last_prices", "get_last_price_response");
    public static readonly ReplyKind Orders = new("orders", "get_orders_response");
    public static readonly ReplyKind Trades = new("trades", "get_trades_response");
    public static readonly ReplyKind BalanceOperations = new("account_balance_operation", "get_balance_operations_response");
    public static readonly ReplyKind Collaterals = new("collateral", "get_collaterals_response");
    public static readonly ReplyKind UpdateBalance = new("update_balance", "update_balance_response");
    public static readonly ReplyKind Auth = new("auth_result", "auth_response");
    public static readonly ReplyKind ServerTime = new("server_time", "server_time_response");
    public static readonly ReplyKind Subscribe = new("subscribe_confirmed", "subscribe_result");
    public static readonly ReplyKind PlaceOrder = new("place_order", "place_order_response");
    public static readonly ReplyKind CancelOrder = new("cancel_order", "cancel_order_response");
    public static readonly ReplyKind UpdateOrder = new("update_order", "update_order_response");
    public static readonly ReplyKind ClosePosition = new("close_position", "close_position_response");
    public static readonly ReplyKind UpdatePosition = new("update_position", "update_position_response");

    /// <summary>A list answer: seed <c>success.&lt;key&gt;.response.data[]</c>, newer <c>&lt;key&gt;_response.success[]</c>.</summary>
    /// <remarks>
    /// <paramref name="nextCursor"/>: the keyset paging extension's <c>next_cursor</c>, written beside the rows
    /// (<c>success</c>, or the seed's <c>response</c>) only when the request asked for a page and more rows follow.
    /// </remarks>
    public static byte[] List<T>(WireDialect d, string? requestId, ReplyKind kind, IReadOnlyList<T> items, ModelWriter<T> write,
        string? nextCursor = null) =>
        Frames.ServerMessage(requestId, (d, kind, items, write, nextCursor), static (w, s) =>
        {
            var (d, kind, items, write, nextCursor) = s;
            if (d.IsSeed)
            {
                w.WritePropertyName("success");
                w.WriteStartObject();
                w.WritePropertyName(kind.SeedKey);
                w.WriteStartObject();
                w.WritePropertyName("response");
                WriteDataObject(w, d, items, write);
                if (nextCursor is not null) w.WriteString("next_cursor", nextCursor);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            else
            {
                w.WritePropertyName(kind.NewerKey);
                w.WriteStartObject();
                w.WritePropertyName("success");
                WriteArray(w, d, items, write);
                if (nextCursor is not null) w.WriteString("next_cursor", nextCursor);
                w.WriteEndObject();
            }
        });

    /// <summary>A single-value answer: seed <c>success.&lt;key&gt;.&lt;value&gt;</c>, newer <c>&lt;key&gt;_response.success.&lt;value&gt;</c>.</summary>
    public static byte[] Single<T>(WireDialect d, string? requestId, ReplyKind kind, T value, ModelWriter<T> write) =>
        Frames.ServerMessage(requestId, (d, kind, value, write), static (w, s) =>
        {
            var (d, kind, value, write) = s;
            if (d.IsSeed)
            {
                w.WritePropertyName("success");
                w.WriteStartObject();
                w.WritePropertyName(kind.SeedKey);
                write(w, d, value);
                w.WriteEndObject();
            }
            else
            {
                w.WritePropertyName(kind.NewerKey);
                w.WriteStartObject();
                w.WritePropertyName("success");
                write(w, d, value);
                w.WriteEndObject();
            }
        });

    /// <summary>An error answer: seed <c>error</c> directly, newer <c>&lt;key&gt;_response.error</c>.</summary>
    public static byte[] Error(WireDialect d, string? requestId, ReplyKind kind, string code) =>
        d.IsSeed
            ? Frames.SystemError(requestId, code)
            : Frames.ServerMessage(requestId, (kind, code), static (w, s) =>
            {
                w.WritePropertyName(s.kind.NewerKey);
                w.WriteStartObject();
                w.WriteString("error", s.code);
                w.WriteEndObject();
            });

    /// <summary>A seed event: <c>success.&lt;payload&gt;.&lt;eventType&gt;.data[]</c>, <c>message_response_id</c> null.</summary>
    public static byte[] SeedEvent<T>(string payloadKey, string eventType, IReadOnlyList<T> items, ModelWriter<T> write) =>
        Frames.ServerMessage(null, (payloadKey, eventType, items, write), static (w, s) =>
        {
            var (payloadKey, eventType, items, write) = s;
            w.WritePropertyName("success");
            w.WriteStartObject();
            w.WritePropertyName(payloadKey);
            w.WriteStartObject();
            w.WritePropertyName(eventType);
            WriteDataObject(w, WireDialect.Seed, items, write);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    /// <summary>A newer snapshot: <c>&lt;topic&gt;.snapshot[]</c>.</summary>
    public static byte[] NewerSnapshot<T>(WireDialect d, string topicKey, IReadOnlyList<T> items, ModelWriter<T> write) =>
        Frames.ServerMessage(null, (d, topicKey, items, write), static (w, s) =>
        {
            var (d, topicKey, items, write) = s;
            w.WritePropertyName(topicKey);
            w.WriteStartObject();
            w.WritePropertyName("snapshot");
            WriteArray(w, d, items, write);
            w.WriteEndObject();
        });

    /// <summary>A newer update: <c>&lt;topic&gt;.update.&lt;variant&gt;</c>, or <c>&lt;topic&gt;.update</c> itself when <paramref name="variant"/> is null.</summary>
    public static byte[] NewerUpdate<T>(WireDialect d, string topicKey, string? variant, T value, ModelWriter<T> write) =>
        Frames.ServerMessage(null, (d, topicKey, variant, value, write), static (w, s) =>
        {
            var (d, topicKey, variant, value, write) = s;
            w.WritePropertyName(topicKey);
            w.WriteStartObject();
            w.WritePropertyName("update");
            if (variant is null)
            {
                write(w, d, value);
            }
            else
            {
                w.WriteStartObject();
                w.WritePropertyName(variant);
                write(w, d, value);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        });

    public static void WriteArray<T>(Utf8JsonWriter w, WireDialect d, IReadOnlyList<T> items, ModelWriter<T> write)
    {
        w.WriteStartArray();
        for (var i = 0; i < items.Count; i++) write(w, d, items[i]);
        w.WriteEndArray();
    }

    private static void WriteDataObject<T>(Utf8JsonWriter w, WireDialect d, IReadOnlyList<T> items, ModelWriter<T> write)
    {
        w.WriteStartObject();
        w.WritePropertyName("data");
        WriteArray(w, d, items, write);
        w.WriteEndObject();
    }
}
