using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Model;

namespace Dealwire.Benchmarks.Engine;

/// <summary>
/// What closed history costs the engine: after <c>deals</c> market open + close pairs (100 accounts, 20 open
/// positions kept throughout, a deposit every 100 deals), the managed heap the engine keeps (after a full
/// compacting collection, minus the same engine before the deals), the snapshot's size (the JSON payload a
/// snapshot file holds) and the time to take it and hash the state.
/// <c>dotnet run -c Release --project bench/Dealwire.Benchmarks -- --history-probe 1000000</c>.
/// Memory is not a timing: it is exact on a loaded machine; the times beside it are wall clock, for scale only.
/// </summary>
public static class HistoryGrowthProbe
{
    public static void Run(TextWriter output, long deals)
    {
        var engine = BenchmarkBroker.Create();
        var logins = Enumerable.Range(0, 100).Select(_ => BenchmarkBroker.Account(engine, 1_000_000m)).ToArray();
        for (var i = 0; i < 20; i++) BenchmarkBroker.Apply(engine, new OpenPosition(logins[i], "EURUSD", TradeCommand.Buy, 10));
        var baseline = Heap();
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < deals; i++)
        {
            var login = logins[i % logins.Length];
            var (_, value) = BenchmarkBroker.Apply(engine, new OpenPosition(login, "EURUSD", i % 2 == 0 ? TradeCommand.Buy : TradeCommand.Sell, 10));
            BenchmarkBroker.Apply(engine, new ClosePosition(login, ((TradeRecord)value!).Ticket));
            if (i % 100 == 0) BenchmarkBroker.Apply(engine, new PostLedger(login, LedgerKind.Deposit, 1m));
        }
        var dealing = clock.Elapsed;
        var retained = Heap() - baseline;
        clock.Restart();
        var snapshot = engine.CreateSnapshot();
        var snapshotTime = clock.Elapsed;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(snapshot, new JsonSerializerOptions(JsonSerializerDefaults.General)).LongLength;
        clock.Restart();
        engine.StateHash();
        var hashTime = clock.Elapsed;
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{deals} deals: engine heap +{retained / 1048576.0:F1} MB ({(double)retained / Math.Max(1, deals):F0} B/deal), snapshot {bytes / 1048576.0:F2} MB, CreateSnapshot {snapshotTime.TotalMilliseconds:F0} ms, StateHash {hashTime.TotalMilliseconds:F0} ms, dealing {dealing.TotalSeconds:F1} s wall; load {load}"));
        GC.KeepAlive(engine);
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
