using System.Text.Json;
using Dealwire.Engine.Model;

namespace Dealwire.ServerApi.Wire;

/// <summary>SymbolRecord and SymbolGroupRecord on the wire (scaletrade-model §4.8, §4.9).</summary>
internal static class SymbolWire
{
    public static readonly string[] Columns =
    [
        "symbol", "description", "source", "currency", "sec_index", "digits", "trade", "sym_index", "sort_index",
        "profit_mode", "margin_mode", "spread", "spread_balance", "stops_level", "freeze_level", "swap_enable",
        "swap_type", "swap_long", "swap_short", "swap_rollover3days", "swap_daily", "contract_size", "tick_value",
        "tick_size", "margin_initial", "margin_hedged", "margin_divider", "point", "long_only", "quote_currency",
        "margin_currency", "max_volume", "bid", "ask", "tick_time",
        // Derived from the record (count, count_original, margin_maintenance, multiply, bid/ask_tickvalue) or fixed
        // (FixedFields.Symbol); sessions stays the last column, as the documentation shows it.
        "feeder", "background_color", "count", "count_original", "profit_reserved", "filter", "filter_counter",
        "filter_limit", "filter_smoothing", "filter_reserved", "logging", "exemode", "gtc_pendings", "margin_maintenance",
        "multiply", "bid_tickvalue", "ask_tickvalue", "instant_max_volume", "realtime", "starting", "expiration",
        "margin_hedged_strong", "value_date", "quotes_delay", "swap_openprice", "swap_variation_margin", "sessions",
    ];

    public static void Write(Utf8JsonWriter w, SymbolConfig s, Quote? quote)
    {
        w.WriteStartObject();
        foreach (var column in Columns)
        {
            w.WritePropertyName(column);
            WriteCell(w, s, quote, column);
        }
        w.WriteEndObject();
    }

    public static void WriteRow(Utf8JsonWriter w, SymbolConfig s, Quote? quote)
    {
        w.WriteStartArray();
        foreach (var column in Columns) WriteCell(w, s, quote, column);
        w.WriteEndArray();
    }

    private static void WriteCell(Utf8JsonWriter w, SymbolConfig s, Quote? q, string column)
    {
        switch (column)
        {
            case "symbol": w.WriteStringValue(s.Name); break;
            case "description": w.WriteStringValue(s.Description); break;
            case "source": w.WriteStringValue(s.Source); break;
            case "currency": w.WriteStringValue(s.BaseCurrency); break;
            case "sec_index": w.WriteNumberValue(s.SecurityIndex); break;
            case "digits": w.WriteNumberValue(s.Digits); break;
            case "trade": w.WriteNumberValue((int)s.TradeMode); break;
            case "sym_index": w.WriteNumberValue(s.SymbolIndex); break;
            case "sort_index": w.WriteNumberValue(s.SortIndex); break;
            case "profit_mode": w.WriteNumberValue((int)s.ProfitMode); break;
            case "margin_mode": w.WriteNumberValue((int)s.MarginMode); break;
            case "spread": w.WriteNumberValue(s.Spread); break;
            case "spread_balance": w.WriteNumberValue(s.SpreadBalance); break;
            case "stops_level": w.WriteNumberValue(s.StopsLevel); break;
            case "freeze_level": w.WriteNumberValue(s.FreezeLevel); break;
            case "swap_enable": w.WriteNumberValue(s.SwapEnabled ? 1 : 0); break;
            case "swap_type": w.WriteNumberValue((int)s.SwapType); break;
            case "swap_long": w.WriteNumberValue(s.SwapLong); break;
            case "swap_short": w.WriteNumberValue(s.SwapShort); break;
            case "swap_rollover3days": w.WriteNumberValue((int)s.TripleSwapDay); break;
            case "swap_daily": w.WriteNumberValue(s.SwapDaily ? 1 : 0); break;
            case "contract_size": w.WriteNumberValue(s.ContractSize); break;
            case "tick_value": w.WriteNumberValue(s.EffectiveTickValue); break;
            case "tick_size": w.WriteNumberValue(s.EffectiveTickSize); break;
            case "margin_initial": w.WriteNumberValue(s.MarginInitial); break;
            case "margin_hedged":
                if (s.MarginHedged is { } hedged) w.WriteNumberValue(hedged);
                else w.WriteNumberValue(s.ContractSize);
                break;
            case "margin_divider": w.WriteNumberValue(s.MarginDivider); break;
            case "point": w.WriteNumberValue(s.Point); break;
            case "long_only": w.WriteNumberValue(s.LongOnly ? 1 : 0); break;
            case "quote_currency": w.WriteStringValue(s.ProfitCurrency); break;
            case "margin_currency": w.WriteStringValue(s.EffectiveMarginCurrency); break;
            case "max_volume": w.WriteNumberValue(s.MaxVolume); break;
            case "bid": w.WriteNumberValue(q?.Bid ?? 0m); break;
            case "ask": w.WriteNumberValue(q?.Ask ?? 0m); break;
            case "tick_time": w.WriteNumberValue(WireTime.ToSeconds(q?.Time ?? 0)); break;
            case "sessions": WriteSessions(w, s.Sessions); break;
            // The symbol's index is also its list position and Market Watch index: Dealwire keeps one ordering.
            case "count" or "count_original": w.WriteNumberValue(s.SymbolIndex); break;
            // Stop-out and margin call measure against the same margin the position was opened with.
            case "margin_maintenance": w.WriteNumberValue(s.MarginInitial); break;
            case "multiply": w.WriteNumberValue(1m / s.Point); break;
            // One tick value for both sides: profit is converted at the deal's own rate, not a side-specific one.
            case "bid_tickvalue" or "ask_tickvalue": w.WriteNumberValue(s.EffectiveTickValue); break;
            default:
                if (!FixedFields.Symbol.TryWriteValue(w, column)) throw new InvalidOperationException("unknown symbol column " + column);
                break;
        }
    }

    /// <summary>Seven ConSessions, index 0 = Sunday; each interval as open/close hour and minute.</summary>
    private static void WriteSessions(Utf8JsonWriter w, IReadOnlyList<DaySessions>? sessions)
    {
        w.WriteStartArray();
        for (var day = 0; day < 7; day++)
        {
            var d = sessions is { Count: 7 } ? sessions[day] : DaySessions.AllDay;
            w.WriteStartObject();
            WriteIntervals(w, "quote", d.Quote);
            WriteIntervals(w, "trade", d.Trade);
            w.WriteNumber("quote_overnight"u8, 0);
            w.WriteNumber("trade_overnight"u8, 0);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteIntervals(Utf8JsonWriter w, string name, IReadOnlyList<SessionInterval> intervals)
    {
        w.WriteStartArray(name);
        foreach (var i in intervals)
        {
            // The wire's close is inclusive (23:59); the engine's is exclusive (24:00).
            var close = Math.Max(i.OpenMinute, i.CloseMinute - 1);
            w.WriteStartObject();
            w.WriteNumber("open_hour"u8, i.OpenMinute / 60);
            w.WriteNumber("open_min"u8, i.OpenMinute % 60);
            w.WriteNumber("close_hour"u8, close / 60);
            w.WriteNumber("close_min"u8, close % 60);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static void WriteSymbolGroup(Utf8JsonWriter w, SymbolGroupConfig g)
    {
        w.WriteStartObject();
        w.WriteNumber("sec_index"u8, g.Index);
        w.WriteNumber("sort_index"u8, g.SortIndex);
        w.WriteNumber("trade"u8, g.TradeAllowed ? 1 : 0);
        w.WriteNumber("show"u8, g.Show ? 1 : 0);
        w.WriteNumber("parent_sec_index"u8, g.ParentIndex);
        w.WriteString("name"u8, g.Name);
        w.WriteString("description"u8, g.Description);
        w.WriteEndObject();
    }
}
