using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

public sealed partial class TradingEngine
{
    /// <summary>Checks a chart edit; the candles themselves live in the history store (see <see cref="EditChart"/>).</summary>
    private (ReturnCode, string, object?) Chart(EditChart c)
    {
        if (!_symbols.ContainsKey(c.Symbol)) return Reject(ReturnCode.SymbolNotFound, $"symbol {c.Symbol} not found");
        var needsBars = c.Kind is ChartEditKind.ImportRange or ChartEditKind.ImportAll or ChartEditKind.DeleteCandle or ChartEditKind.UpdateCandle;
        if (needsBars && c.Bars.Count == 0) return Reject(ReturnCode.InvalidData, "no candles given");
        if (c.Kind is ChartEditKind.DeleteCandle or ChartEditKind.UpdateCandle && c.Bars.Count != 1)
        {
            return Reject(ReturnCode.InvalidData, "exactly one candle expected");
        }
        if (c.Kind is ChartEditKind.DeletePeriod && c.From > c.To) return Reject(ReturnCode.InvalidData, "from is after to");
        foreach (var b in c.Bars)
        {
            if (b.Time < 0 || b.Volume < 0) return Reject(ReturnCode.InvalidData, "candle time and volume must not be negative");
            if (c.Kind == ChartEditKind.DeleteCandle) continue;
            if (b.Open <= 0 || b.High <= 0 || b.Low <= 0 || b.Close <= 0) return Reject(ReturnCode.InvalidData, "candle prices must be positive");
            if (b.High < Math.Max(b.Open, b.Close) || b.Low > Math.Min(b.Open, b.Close))
            {
                return Reject(ReturnCode.InvalidData, $"candle at {b.Time}: high must be >= open/close and low <= open/close");
            }
        }
        return Ok(c.Bars.Count);
    }
}
