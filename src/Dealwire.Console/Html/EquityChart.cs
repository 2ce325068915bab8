using System.Globalization;
using System.Text;
using Dealwire.ReadModel.History;

namespace Dealwire.WebConsole.Html;

/// <summary>
/// An account's equity and balance at each closed trading day (the history store's end-of-day rows), drawn on the
/// server as SVG like the candles: a blue equity line with a marker per day, a grey balance line, the range on the
/// axis. No script, no chart library; presentation attributes only (the content policy forbids inline styles).
/// </summary>
internal static class EquityChart
{
    private const int Width = 900;
    private const int Height = 220;
    private const int Axis = 90;
    private const int Pad = 14;

    public static string Svg(IReadOnlyList<EndOfDayRow> rows)
    {
        if (rows.Count == 0) return "<p id=\"equity-empty\">No trading day has closed for this account yet: the chart starts at the first rollover.</p>";
        var high = rows.Max(r => Math.Max(r.Equity, r.Balance));
        var low = rows.Min(r => Math.Min(r.Equity, r.Balance));
        if (high == low)
        {
            // Flat history: a band around the value, so the line sits mid-chart.
            var half = Math.Max(Math.Abs(high) / 100m, 1m);
            high += half;
            low -= half;
        }
        var step = rows.Count == 1 ? 0 : (double)(Width - Axis - 2 * Pad) / (rows.Count - 1);
        double X(int i) => rows.Count == 1 ? (Width - Axis) / 2.0 : Pad + i * step;
        double Y(decimal value) => Pad + (double)((high - value) / (high - low)) * (Height - 2 * Pad);

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg id=\"equity-chart\" class=\"chart\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"equity history\" data-count=\"{rows.Count}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\" stroke=\"#e2e6ee\"/>");
        sb.Append("<polyline class=\"balance-line\" fill=\"none\" stroke=\"#9aa3b5\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\" points=\"").Append(Points(rows, r => r.Balance, X, Y)).Append("\"/>");
        sb.Append("<polyline class=\"equity-line\" fill=\"none\" stroke=\"#2f6fe4\" stroke-width=\"2\" points=\"").Append(Points(rows, r => r.Equity, X, Y)).Append("\"/>");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            sb.Append(CultureInfo.InvariantCulture, $"<circle class=\"equity-point\" cx=\"{X(i):F1}\" cy=\"{Y(r.Equity):F1}\" r=\"3.5\" fill=\"#2f6fe4\">");
            sb.Append("<title>").Append(r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(" equity ").Append(Page.Money(r.Equity))
                .Append(", balance ").Append(Page.Money(r.Balance)).Append(' ').Append(Page.E(r.Currency)).Append("</title></circle>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Axis + 6}\" y=\"{Pad + 4}\" font-size=\"12\" fill=\"#5b6475\">{Page.Money(high)}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Axis + 6}\" y=\"{Height - Pad + 4}\" font-size=\"12\" fill=\"#5b6475\">{Page.Money(low)}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Pad}\" y=\"{Height - 2}\" font-size=\"11\" fill=\"#5b6475\">{rows[0].Day:yyyy-MM-dd}</text>");
        if (rows.Count > 1) sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Axis - 70}\" y=\"{Height - 2}\" font-size=\"11\" fill=\"#5b6475\">{rows[^1].Day:yyyy-MM-dd}</text>");
        return sb.Append("</svg><p class=\"hint\">Blue: equity at each rollover; dashed grey: balance.</p>").ToString();
    }

    private static string Points(IReadOnlyList<EndOfDayRow> rows, Func<EndOfDayRow, decimal> value, Func<int, double> x, Func<decimal, double> y) =>
        string.Join(' ', rows.Select((r, i) => string.Create(CultureInfo.InvariantCulture, $"{x(i):F1},{y(value(r)):F1}")));
}
