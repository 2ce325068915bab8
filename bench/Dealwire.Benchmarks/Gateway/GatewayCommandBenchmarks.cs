using System.Buffers;
using BenchmarkDotNet.Attributes;

namespace Dealwire.Benchmarks.Gateway;

/// <summary>
/// The gateway's own cost of one trade command (engine replaced by a stand-in, see <see cref="InProcessGateway"/>):
/// the envelope parse alone, and parse → dispatch → serialize of MngOpenTrade (acknowledgement) and
/// MngOpenTradeSync (trade record). Expected allocations in steady state: the reply frame and the
/// OpenPosition command handed to the engine, nothing else (checked by CommandAllocationTests).
/// <c>dotnet run -c Release --project bench/Dealwire.Benchmarks -- --filter '*GatewayCommandBenchmarks*' --job short</c>
/// </summary>
[MemoryDiagnoser]
public class GatewayCommandBenchmarks
{
    private const string OpenData = """{"login":1000,"cmd":0,"volume":100,"symbol":"EURUSD","sl":0,"tp":0}""";
    private InProcessGateway _gateway = null!;
    private ReadOnlySequence<byte> _open;
    private ReadOnlySequence<byte> _openSync;

    [GlobalSetup]
    public void Setup()
    {
        _gateway = new InProcessGateway();
        _open = _gateway.Line("MngOpenTrade", OpenData);
        _openSync = _gateway.Line("MngOpenTradeSync", OpenData);
    }

    [Benchmark]
    public int ParseEnvelope() => InProcessGateway.Parse(_open);

    [Benchmark]
    public int OpenTradeAck() => _gateway.Run(_open).Length;

    [Benchmark]
    public int OpenTradeSync() => _gateway.Run(_openSync).Length;
}
