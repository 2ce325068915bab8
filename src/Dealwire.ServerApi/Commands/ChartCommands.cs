using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.History;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;

namespace Dealwire.ServerApi.Commands;

/// <summary>
/// Charts (scaletrade-tcp §7.8). Candles are bid candles the history projector builds from ticks; reads go to the
/// history store, never the engine. Edits are journaled (<see cref="EditChart"/>) so a rebuild or a standby repeats
/// them in order with the ticks. Times on the wire are Unix seconds.
/// </summary>
internal static class ChartCommands
{
    /// <summary>The most candles one GetChartData answers; a wider range is refused rather than cut silently.</summary>
    public const int MaxCandles = 100_000;

    private static readonly string[] Structure = ["open", "high", "low", "close", "volume", "time"];

    public static void Register(CommandTable table)
    {
        table.Add("GetChartData", GetChartData);
        table.Add("ImportChartData", ImportChartData);
        table.Add("DeleteChartCandle", c => Edit(c, ChartEditKind.DeleteCandle, [ReadCandle(c.Data, "candle", timeBeforeVolume: true)]));
        table.Add("UpdateChartCandle", c => Edit(c, ChartEditKind.UpdateCandle, [ReadCandle(c.Data, "candle", timeBeforeVolume: false)]));
        table.Add("DeleteChartPeriod", DeleteChartPeriod);
        table.Add("FixSpikeCandle", FixSpikeCandle);
        table.Add("SyncChartData", SyncChartData);
    }

    private static async ValueTask<Reply> GetChartData(CommandContext c)
    {
        var d = c.Data;
        var symbol = d.RequireString("symbol", 32);
        var from = d.RequireLong("from");
        var to = d.RequireLong("to");
        var frameText = d.OptionalString("frame", 8) ?? "1M";
        if (!ChartFrames.TryParse(frameText, out var frame))
        {
            throw ProtocolException.InvalidData($"frame {frameText} is not one of 1M, 5M, 15M, 30M, 1H, 4H, 1D, 1W, 1MN (or M1, H1, D1, …)");
        }
        if (from < 0 || to < from) throw ProtocolException.InvalidData("from and to must be Unix seconds with from <= to");
        if ((to - from) / 60 / frame > MaxCandles) throw ProtocolException.InvalidData($"the range holds more than {MaxCandles} candles of {frameText}: ask for a shorter one");
        await RequireSymbolAsync(c, symbol);
        var candles = await ChartFrames.ReadAsync(Reports(c), symbol, frame, from * 1000, to * 1000 + 999);
        return Reply.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("structure");
            foreach (var name in Structure) w.WriteStringValue(name);
            w.WriteEndArray();
            w.WriteStartArray("data");
            foreach (var k in candles)
            {
                w.WriteStartArray();
                w.WriteNumberValue(k.Open);
                w.WriteNumberValue(k.High);
                w.WriteNumberValue(k.Low);
                w.WriteNumberValue(k.Close);
                w.WriteNumberValue(k.Ticks);
                w.WriteNumberValue(k.Time / 1000);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static ValueTask<Reply> ImportChartData(CommandContext c)
    {
        var d = c.Data;
        var flush = d.RequireInt("flushData");
        if (flush is not (0 or 1)) throw ProtocolException.InvalidData("flushData must be 0 (replace the imported range) or 1 (rewrite the whole chart)");
        var array = d.RequireArray("candles");
        var bars = new List<ChartBar>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray()) bars.Add(ReadBar(item, "candles[]", timeBeforeVolume: false));
        if (bars.Count == 0) throw ProtocolException.InvalidData("candles must not be empty");
        return Edit(c, flush == 1 ? ChartEditKind.ImportAll : ChartEditKind.ImportRange, bars);
    }

    private static ValueTask<Reply> DeleteChartPeriod(CommandContext c)
    {
        var from = c.Data.RequireLong("from");
        var to = c.Data.RequireLong("to");
        if (from < 0 || to < from) throw ProtocolException.InvalidData("from and to must be Unix seconds with from <= to");
        return Edit(c, ChartEditKind.DeletePeriod, [], from * 1000, to * 1000 + 999);
    }

    private static ValueTask<Reply> FixSpikeCandle(CommandContext c)
    {
        var time = c.Data.RequireLong("time");
        if (time < 0) throw ProtocolException.InvalidData("time must be Unix seconds");
        return Edit(c, ChartEditKind.FixSpike, [], time * 1000, time * 1000);
    }

    private static async ValueTask<Reply> SyncChartData(CommandContext c)
    {
        var d = c.Data;
        d.RequireInt("index");
        var flush = d.RequireInt("flushData");
        if (flush is not (0 or 1)) throw ProtocolException.InvalidData("flushData must be 0 or 1");
        d.RequireInt("sec_index");
        if (d.OptionalString("symbol", 32) is { } symbol) await RequireSymbolAsync(c, symbol);
        // Dealwire's feeds (FIX market data, the feeder endpoint, replay, synthetic) stream live prices only: none can
        // answer a history request, so there is nothing to pull from. Said plainly rather than answering OK.
        throw new ProtocolException(400, ChartSyncUnavailable,
            "no feed source of this server can serve price history; load candles with ImportChartData instead");
    }

    /// <summary>Error name of SyncChartData when no feed source serves history.</summary>
    public const string ChartSyncUnavailable = "CHART_SYNC_UNAVAILABLE";

    private static async ValueTask<Reply> Edit(CommandContext c, ChartEditKind kind, IReadOnlyList<ChartBar> bars, long from = 0, long to = 0)
    {
        var symbol = c.Data.RequireString("symbol", 32);
        await c.SubmitAsync(new EditChart(symbol, kind, bars, from, to) { Actor = c.Actor });
        return Reply.Ok();
    }

    private static ChartBar ReadCandle(DataReader d, string name, bool timeBeforeVolume) =>
        ReadBar(d.RequireArray(name), name, timeBeforeVolume);

    /// <summary>[o,h,l,c,v,t] (import, update) or [o,h,l,c,t,v] (DeleteChartCandle, as documented); t in Unix seconds.</summary>
    private static ChartBar ReadBar(JsonElement item, string name, bool timeBeforeVolume)
    {
        if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 6)
        {
            throw ProtocolException.InvalidData(timeBeforeVolume
                ? $"{name} must be [open, high, low, close, time, volume]"
                : $"{name} must be [open, high, low, close, volume, time]");
        }
        var open = DataReader.ReadDecimal(name, item[0]);
        var high = DataReader.ReadDecimal(name, item[1]);
        var low = DataReader.ReadDecimal(name, item[2]);
        var close = DataReader.ReadDecimal(name, item[3]);
        var time = DataReader.ReadLong(name, item[timeBeforeVolume ? 4 : 5]);
        var volume = DataReader.ReadLong(name, item[timeBeforeVolume ? 5 : 4]);
        if (time < 0) throw ProtocolException.InvalidData($"{name}: time must be Unix seconds");
        return new ChartBar(time * 1000, open, high, low, close, volume);
    }

    private static async Task RequireSymbolAsync(CommandContext c, string symbol)
    {
        if (!await c.ReadAsync(r => r.GetSymbol(symbol) is not null)) throw ProtocolException.Rejected(ReturnCode.SymbolNotFound, $"symbol {symbol} not found");
    }

    private static IHistoryReports Reports(CommandContext c) =>
        c.Server.History as IHistoryReports ?? throw new InvalidOperationException("the history reader serves no candles");
}
