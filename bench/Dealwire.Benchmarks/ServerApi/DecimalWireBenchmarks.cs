using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Dealwire.Engine.Model;

namespace Dealwire.Benchmarks.ServerApi;

/// <summary>
/// The fifteen money members of a closed deal's Server API image (prices, rates, profit, commission …) written into a
/// reused writer: by the runtime's <c>WriteNumber(name, decimal)</c>, and by <see cref="DecimalUtf8"/> (the same bytes,
/// <c>DecimalUtf8Tests</c>). Every reply and event that carries a trade or an account's figures writes members like these.
/// </summary>
[MemoryDiagnoser]
public class DecimalWireBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private Utf8JsonWriter _writer = null!;
    private readonly decimal[] _values = [1.10002m, 0m, 0m, 11.00m, 1.1m, -0.70m, 0m, -0.35m, 8.00m, 6.95m, 0m, 1.10010m, 0m, 1m, 1m];

    private static readonly byte[][] Names =
    [
        "open_price"u8.ToArray(), "sl"u8.ToArray(), "tp"u8.ToArray(), "margin_initial"u8.ToArray(), "margin_rate"u8.ToArray(),
        "commission"u8.ToArray(), "commission_agent"u8.ToArray(), "storage"u8.ToArray(), "profit"u8.ToArray(), "net_profit"u8.ToArray(),
        "taxes"u8.ToArray(), "close_price"u8.ToArray(), "stoplimit_price"u8.ToArray(), "open_rate"u8.ToArray(), "close_rate"u8.ToArray(),
    ];

    [GlobalSetup]
    public void Setup() => _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });

    [Benchmark(Baseline = true)]
    public int Runtime()
    {
        Start();
        for (var i = 0; i < _values.Length; i++) _writer.WriteNumber(Names[i], _values[i]);
        return Finish();
    }

    [Benchmark]
    public int ByDecimalUtf8()
    {
        Start();
        for (var i = 0; i < _values.Length; i++) _writer.WriteDecimal(Names[i], _values[i]);
        return Finish();
    }

    private void Start()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
    }

    private int Finish()
    {
        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenCount;
    }
}
