using Dealwire.Engine.Model;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.History.Charts;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;

namespace Dealwire.ServerApi.Commands;

/// <summary>
/// Charts (scaletrade-tcp §7.8): <c>GetChartData</c> reads the bid candles the history projector rolls from ticks
/// (never the engine). The candle-editing commands are not built yet: see docs/server-api.md "Command status".
/// </summary>
internal static class ChartCommands
{
    /// <summary>Largest number of periods one request may span, so a 1M request over years cannot pull millions of rows.</summary>
    public const long MaxPeriods = 100_000;

    private static readonly string[] Structure = ["open", "high", "low", "close", "volume", "time"];

    public static void Register(CommandTable table)
    {
        table.Add("GetChartData", GetChartData);
    }

    /// <summary>
    /// <c>symbol</c>, <c>from</c>/<c>to</c> (Unix seconds, period starts in [from, to]), <c>frame</c> (1M…1MN or
    /// M1…MN1; omitted = 1M, as the older clients send none), <c>count</c> ignored as documented. Rows are
    /// <c>[open, high, low, close, volume, time]</c>: bid prices, volume = ticks in the period, time = period start in
    /// Unix seconds. A period without a tick has no row.
    /// </summary>
    private static async ValueTask<Reply> GetChartData(CommandContext c)
    {
        var d = c.Data;
        var symbol = d.RequireString("symbol", 64);
        var from = d.RequireLong("from");
        var to = d.RequireLong("to");
        var frameName = d.OptionalString("frame", 8) ?? "1M";
        if (!ChartFrame.TryParse(frameName, out var frame))
        {
            throw ProtocolException.InvalidData($"frame '{frameName}' is not a chart frame; use one of {string.Join(", ", ChartFrame.Names)}");
        }
        if (from < 0 || to < from) throw ProtocolException.InvalidData("from and to must be Unix seconds with from <= to");
        if (to > DateTimeOffset.MaxValue.ToUnixTimeSeconds()) throw ProtocolException.InvalidData("to is beyond the calendar");
        var periodSeconds = frame.Kind switch
        {
            ChartFrame.Calendar.Week => 7 * 86_400L,
            ChartFrame.Calendar.Month => 28 * 86_400L,
            _ => frame.StoredMinutes * 60L,
        };
        if ((to - from) / periodSeconds > MaxPeriods)
        {
            throw ProtocolException.InvalidData($"the window spans more than {MaxPeriods} {frame.Name} periods; ask for a shorter one");
        }
        if (!c.Server.View.GetSymbols().Any(s => s.Name == symbol))
        {
            throw ProtocolException.Rejected(ReturnCode.SymbolNotFound, $"symbol {symbol} not found");
        }
        // The reader the gateways get also serves the reports (candles, end of day, audit): read-your-writes included.
        var reports = c.Server.History as IHistoryReports
            ?? throw new InvalidOperationException("the history reader does not serve candles");
        var candles = await frame.ReadAsync(reports, symbol, from * 1000, to * 1000 + 999);
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
}
