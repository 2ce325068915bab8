using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.History;

namespace Dealwire.Benchmarks.History;

/// <summary>
/// One closed deal's and one ledger entry's audit images (the "after" records of an audited close) and an open's payload,
/// into a reused writer: through the serializer with the audit log's rules, and written member by member
/// (<see cref="AuditRecordImage"/>, <see cref="AuditCommandImage"/>, the same bytes).
/// </summary>
[MemoryDiagnoser]
public class AuditImageBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private Utf8JsonWriter _writer = null!;
    private readonly TradeRecord _closed = new()
    {
        Ticket = 1_000_123, Login = 1000, Symbol = "EURUSD", Digits = 5, Command = TradeCommand.Buy, Volume = 1, State = TradeState.ClosedNormal,
        OpenTime = 1_767_225_600_000, OpenPrice = 1.10002m, CloseTime = 1_767_225_660_000, ClosePrice = 1.10010m, Profit = 0.08m,
        MarginInitial = 11.00m, MarginRate = 1.1m, Reason = TradeReason.Dealer, CloseOrderTicket = 1_000_124, UpdateTime = 1_767_225_660_000,
        ChangedBy = "admin:1",
    };

    private readonly LedgerEntry _profit = new()
    {
        Id = 4_211, Login = 1000, Kind = LedgerKind.TradingResult, Amount = 0.08m, BalanceAfter = 10_000.08m, Ticket = 1_000_123,
        Comment = "profit #1000123", Time = 1_767_225_660_000, Actor = "admin:1",
    };

    private readonly OpenPosition _open = new(1000, "EURUSD", TradeCommand.Buy, 1) { Actor = "admin:1", Reason = TradeReason.Dealer };

    [GlobalSetup]
    public void Setup() => _writer = new Utf8JsonWriter(_buffer, AuditPolicy.WriterOptions);

    [Benchmark(Baseline = true)]
    public int Serializer() => ThroughSerializer(_closed);

    [Benchmark]
    public int ByHand()
    {
        Start();
        AuditRecordImage.Write(_writer, _closed);
        return Finish();
    }

    [Benchmark]
    public int LedgerSerializer() => ThroughSerializer(_profit);

    [Benchmark]
    public int LedgerByHand()
    {
        Start();
        AuditRecordImage.Write(_writer, _profit);
        return Finish();
    }

    /// <summary>An audited open's payload: the serializer by the command's own type, as the fold called it before (it then put the discriminator in front).</summary>
    [Benchmark]
    public int CommandSerializer() => ThroughSerializer(_open);

    [Benchmark]
    public int CommandByHand()
    {
        Start();
        AuditCommandImage.TryWrite(_writer, _open);
        return Finish();
    }

    /// <summary>As the fold called the serializer before: by the record's runtime type, through an object reference.</summary>
    private int ThroughSerializer(object record)
    {
        Start();
        JsonSerializer.Serialize(_writer, record, record.GetType(), AuditPolicy.Json);
        return Finish();
    }

    private void Start()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
    }

    private int Finish()
    {
        _writer.Flush();
        return _buffer.WrittenCount;
    }
}
