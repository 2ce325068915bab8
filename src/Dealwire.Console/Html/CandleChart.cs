using System.Globalization;
using System.Text;
using Dealwire.ReadModel.History;

namespace Dealwire.WebConsole.Html;

/// <summary>
/// A candlestick chart drawn on the server as SVG (no script, no chart library, nothing from another origin): one
/// wick line and one body rectangle per candle, green when it closed up, red when down, with the high and low of the
/// range on the axis. Presentation attributes only, since the console's content policy forbids inline styles.
/// </summary>
internal static class CandleChart
{
    private const int Width = 900;
    private const int Height = 260;
    private const int Axis = 70;

    public static string Svg(IReadOnlyList<Candle> candles, int digits)
    {
        if (candles.Count == 0) return "<p id=\"candles-empty\">No candles stored for this range yet.</p>";
        var high = candles.Max(c => c.High);
        var low = candles.Min(c => c.Low);
        var range = high - low;
        if (range == 0)
        {
            // A flat market: a band around the price, so its line sits mid-chart rather than on the top edge.
            var half = Math.Max(Math.Abs(high) / 20_000m, 0.00001m);
            high += half;
            low -= half;
            range = high - low;
        }
        var step = (double)(Width - Axis) / candles.Count;
        var body = Math.Max(1.0, step * 0.6);
        double Y(decimal price) => 10 + (double)((high - price) / range) * (Height - 20);

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg id=\"candles\" class=\"chart\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"candles\" data-count=\"{candles.Count}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\" stroke=\"#e2e6ee\"/>");
        for (var i = 0; i < candles.Count; i++)
        {
            var c = candles[i];
            var x = i * step + step / 2;
            var up = c.Close >= c.Open;
            var color = up ? "#1a9850" : "#d73027";
            var top = Y(Math.Max(c.Open, c.Close));
            var height = Math.Max(1.0, Y(Math.Min(c.Open, c.Close)) - top);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:F1}\" x2=\"{x:F1}\" y1=\"{Y(c.High):F1}\" y2=\"{Y(c.Low):F1}\" stroke=\"{color}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"candle\" x=\"{x - body / 2:F1}\" y=\"{top:F1}\" width=\"{body:F1}\" height=\"{height:F1}\" fill=\"{color}\">");
            sb.Append("<title>").Append(Page.E(Page.Time(c.Time))).Append(" O ").Append(Page.Price(c.Open, digits)).Append(" H ").Append(Page.Price(c.High, digits))
                .Append(" L ").Append(Page.Price(c.Low, digits)).Append(" C ").Append(Page.Price(c.Close, digits)).Append("</title></rect>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Axis + 6}\" y=\"16\" font-size=\"12\" fill=\"#5b6475\">{Page.Price(high, digits)}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Axis + 6}\" y=\"{Height - 6}\" font-size=\"12\" fill=\"#5b6475\">{Page.Price(low, digits)}</text>");
        return sb.Append("</svg>").ToString();
    }
}
