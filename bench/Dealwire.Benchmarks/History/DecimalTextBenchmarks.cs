using System.Globalization;
using BenchmarkDotNet.Attributes;
using Dealwire.ReadModel.History.Sqlite;

namespace Dealwire.Benchmarks.History;

/// <summary>
/// The fifteen money values of a closed deal (prices, rates, profit, commission …) formatted as UTF-8 text: by the
/// runtime's <c>decimal.TryFormat</c>, and by <see cref="DecimalUtf8"/> (the same bytes, <c>DecimalUtf8Tests</c>).
/// </summary>
[MemoryDiagnoser]
public class DecimalTextBenchmarks
{
    private readonly byte[] _text = new byte[DecimalUtf8.MaxLength];
    private readonly decimal[] _values = [1.10002m, 0m, 0m, 11.00m, 1.1m, -0.70m, 0m, -0.35m, 8.00m, 6.95m, 0m, 1.10010m, 0m, 1m, 1m];

    [Benchmark(Baseline = true)]
    public int Runtime()
    {
        var total = 0;
        foreach (var v in _values)
        {
            v.TryFormat(_text, out var written, default, CultureInfo.InvariantCulture);
            total += written;
        }
        return total;
    }

    [Benchmark]
    public int ByDecimalUtf8()
    {
        var total = 0;
        foreach (var v in _values) total += DecimalUtf8.Format(v, _text);
        return total;
    }
}
